/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by ag-window.c (the view) and ag-window-actions.c (its actions):
 * not part of the window's API. */
#pragma once

#include "ag-auth-view.h"
#include "ag-sign-in.h"
#include "ag-window.h"

G_BEGIN_DECLS

struct _AgWindow
{
  AdwApplicationWindow parent_instance;

  /* The template's widgets. */
  AdwToastOverlay *toast_overlay;
  GtkWidget *credentials_button;
  GtkLabel *dotenv_banner;
  GtkWidget *back_button;
  GtkWidget *cancel_button;
  GtkWidget *done_button;
  GtkLabel *account_note;
  GtkStack *stack;
  AdwStatusPage *guest_page;
  GtkLabel *error_label;
  GtkWidget *login_button;
  GtkWidget *signup_button;
  GtkWidget *preferences_button;
  AdwAvatar *avatar;
  GtkLabel *welcome_label;
  GtkLabel *email_label;
  GtkLabel *session_note;
  GtkToggleButton *reveal_button;
  GtkLabel *profile_json;
  GtkLabel *token_json;
  AdwHeaderBar *header_bar;
  GtkLabel *window_title;
  GtkSpinner *loading_spinner;
  GtkLabel *loading_label;
  GtkWidget *loading_cancel;
  /* The sign-in's pages: NULL until ag_window_ensure_sign_in_pages (). */
  AgAuthView *auth_view;
  GtkWidget *browser_bar;
  GtkSpinner *browser_spinner;
  AdwStatusPage *browser_page;
  GtkLabel *browser_status;
  AdwEntryRow *paste_row;

  char *guest_description;       /* the guest page's own words */
  GtkWindow *help_overlay;       /* Keyboard Shortcuts, made when first asked for */
  GSettings *settings;           /* the application's */
  AuthgearClient *client;        /* the application's (authgear-glib), followed through: */
  GSignalGroup *client_signals;
  AuthgearSessionStateChangeReason reason;   /* of its last session-state-changed */
  AgSignIn *sign_in;             /* the sign-in (or settings page) under way, or NULL; followed through: */
  GSignalGroup *sign_in_signals;
  GCancellable *cancellable;     /* cancelled when the window closes */
  gboolean reveal;
  gboolean copy_when_ready;      /* Copy Link: copy the browser URL once it is made */
  GNotification *back_notification;  /* to send if the window stays behind ... */
  guint back_wait;               /* ... this short while after its present */
  gboolean back_notified;        /* a notification says the browser came back */
  guint exchange_slow;           /* shows the loading page if a wait is slow */
  gboolean wait_slow;            /* ... it is */
  guint start_slow;              /* the start's keyring wait is long: offers a way on */
  gboolean start_waited;         /* ... it was */
  GtkWidget *loading_leave;
  GCancellable *profile_cancellable; /* the profile is being read again */
  guint profile_slow;
  GtkWidget *profile_wait;
  GtkLabel *profile_wait_label;
  GtkSpinner *profile_spinner;
  guint preferences_idle;        /* opens Preferences on a first start */
};

/* Whether Authgear's settings page is what the sign-in page shows. */
static inline gboolean
ag_window_on_account (AgWindow *self)
{
  return self->sign_in != NULL && ag_sign_in_get_kind (self->sign_in) == AG_SIGN_IN_SETTINGS;
}

/* ag-window.c */
char *ag_window_project_host (AgWindow *self);
void ag_window_sync               (AgWindow    *self);
void ag_window_toast              (AgWindow    *self,
                                   const char  *text);
void ag_window_show_error         (AgWindow    *self,
                                   const GError *error);
/* A sign-in, or one of Authgear's settings actions (change email, delete
 * account), in the embedded page. */
void ag_window_start_sign_in      (AgWindow    *self,
                                   AgSignInKind kind,
                                   AuthgearPage page);
void ag_window_copy_browser_link  (AgWindow    *self);
void ag_window_ensure_sign_in_pages (AgWindow  *self);

/* ag-window-welcome.c: the Welcome page, from the client's user info. */
void ag_window_update_welcome     (AgWindow    *self);

/* Opens Authgear's settings page in the web view, or closes it (Done):
 * the profile is read again then. */
void ag_window_open_account       (AgWindow    *self);
void ag_window_close_account      (AgWindow    *self);
/* Reveal: shows or hides the tokens in the details. */
void ag_window_set_reveal           (AgWindow   *self,
                                     gboolean    reveal);
/* Asks Authgear to confirm it is still this person; the tokens show once
 * it has. */
void ag_window_start_reauthentication (AgWindow *self);
/* What a settings action's end says (@error NULL: done; cancelled or
 * access_denied: nothing changed). */
void ag_window_settings_action_done (AgWindow    *self,
                                     AgSignInKind kind,
                                     const GError *error);

/* ag-window-actions.c */
void ag_window_class_add_actions  (GtkWidgetClass *widget_class);
/* The one place that enables the window's actions, from the state shown. */
void ag_window_actions_update     (AgWindow    *self);

G_END_DECLS
