// SPDX-License-Identifier: GPL-3.0-or-later
//
// A local attacker against the browser path's loopback listener, as any
// local process or a web page open in the person's browser could be:
// 1,000 connections that send half a request line and wait; a POST and a
// GET that announce a 4 GB body and stream it as fast as they can; a
// request naming another host (DNS rebinding). Prints one JSON line: what
// the listener answered (null when it reset the connection before the
// answer could be read), how many of the half-open connections it closed
// before the deadline, and when it closed the last one. Loopback only;
// bounded in count and time.
//
// The deadline is long (40 s) and the flood ends as soon as every
// half-open connection is gone: with 1,000 at once the kernel's accept
// queue overflows, and a dropped SYN is sent again after 1, 3, 7 and 15 s,
// so the last connections may only reach the listener 15 s in.
//
//   node flood.mjs PORT
import net from 'node:net';

const port = Number(process.argv[2]);
const HALF_OPEN = Number(process.env.AG_FLOOD_CONNECTIONS ?? 1000);
const STREAM_MS = 4000;
const WAIT_MS = 40000;

function streamBody(head) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    let answer = '';
    let open = true;
    const deadline = setTimeout(() => socket.destroy(), STREAM_MS);
    const pump = () => {
      while (open && socket.write(chunk)) sent += chunk.length;
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.on('drain', pump);
    socket.on('data', (d) => { answer += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => {
      open = false;
      clearTimeout(deadline);
      resolve({ status: Number(answer.split(' ')[1]) || null, sent_mib: Math.round(sent / 1048576) });
    });
  });
}

function request(text) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    const deadline = setTimeout(() => socket.destroy(), STREAM_MS);
    socket.on('data', (d) => { answer += d.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(deadline);
      resolve(Number(answer.split(' ')[1]) || null);
    });
  });
}

const started = Date.now();
let closedByServer = 0;
let lastClosedMs = null;
let gone = 0;
let connected = 0;
const halfOpen = [];
for (let i = 0; i < HALF_OPEN; i += 1) {
  let wasConnected = false;
  const socket = net.connect(port, '127.0.0.1', () => {
    wasConnected = true;
    connected += 1;
    socket.write('GET /callback?code=');
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    const at = Date.now() - started;
    gone += 1;
    if (at < WAIT_MS && wasConnected) {
      closedByServer += 1;
      lastClosedMs = at;
    }
  });
  halfOpen.push(socket);
}

const [post, getWithBody, chunked, otherHost] = await Promise.all([
  streamBody(`POST /anything HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 4000000000\r\n\r\n`),
  streamBody(`GET /callback HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 4000000000\r\n\r\n`),
  request(`GET /callback HTTP/1.1\r\nHost: localhost:${port}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`),
  request(`GET /callback?code=c&state=s HTTP/1.1\r\nHost: rebound.example:${port}\r\n\r\n`),
]);

while (gone < HALF_OPEN && Date.now() - started < WAIT_MS) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
for (const s of halfOpen) s.destroy();
process.stdout.write(`${JSON.stringify({
  post, get_with_body: getWithBody, chunked, other_host: otherHost,
  half_open: HALF_OPEN, connected, closed_by_server: closedByServer, last_closed_ms: lastClosedMs,
})}\n`);
