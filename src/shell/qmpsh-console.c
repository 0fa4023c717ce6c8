/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-console-private.h"
#include "qmpsh-console-history.h"
#include "qmp-source.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

/**
 * QmpshConsole:
 *
 * The terminal: GNU readline in callback mode, fed from the main loop, with
 * every other line of output printed above the prompt so that the line being
 * typed and the cursor survive. Readline is global state, so there is one.
 */
struct _QmpshConsole {
	GObject parent_instance;
	gchar *history_path;
	gchar *prompt;
	GSource *stdin_watch;
	GSource *winch;
	gboolean started;
	gboolean in_handler; /* a line was just accepted: no prompt is on the screen */
	gboolean added_last; /* the last line went into the history */
	gboolean at_eof;     /* Ctrl-D: the prompt's line is already ended */
	QmpshCompleteFunc complete;
	QmpshReadyFunc ready;
	gpointer complete_data;
	guint held; /* TAB waits for what it wants: the keys after it wait in the terminal */
	int held_count;
	int held_key;
	rl_command_func_t *held_last;
	QmpshHintFunc hint;
	gpointer hint_data;
	gboolean hinted;    /* a hint is on the screen, after the line */
	gboolean aside;	    /* the line left the screen for something else */
	gboolean deprepped; /* the terminal is as it was before readline */
	char *saved_line;
	int saved_point;
	GString *pending;      /* printed, shown at the end of the loop's turn */
	gboolean prompt_stale; /* the prompt changed, and is drawn at the end of the turn */
	guint flush;
};

/* the most printed output waits for the end of the loop's turn */
#define QMPSH_CONSOLE_PENDING_MAX (64 * 1024)

/* the most keys read in one turn of the loop, waiting in the terminal */
#define QMPSH_CONSOLE_KEYS_MAX 256

/* how long TAB waits for what it wants from the server before it makes do */
#define QMPSH_CONSOLE_HOLD_MSEC 1000

/* lines past which no hint is worked out on every key */
#define QMPSH_CONSOLE_HINT_LINE_MAX 4096

G_DEFINE_TYPE (QmpshConsole, qmpsh_console, G_TYPE_OBJECT)

enum { SIGNAL_LINE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* readline's callbacks take no user data */
static QmpshConsole *the_console;

/**
 * qmpsh_console_new:
 * @history_path: (nullable): the history file, or %NULL for none
 *
 * Returns: (transfer full): the console
 */
QmpshConsole *
qmpsh_console_new (const gchar *history_path)
{
	QmpshConsole *self = g_object_new (QMPSH_TYPE_CONSOLE, NULL);
	self->history_path = g_strdup (history_path);
	self->prompt = g_strdup ("> ");
	return self;
}

static void
qmpsh_console_line_cb (char *line)
{
	g_autoptr (QmpshConsole) self = g_object_ref (the_console);
	g_auto (GStrv) lines = NULL;

	if (line == NULL) {
		/* Ctrl-D: end the prompt's line, so that what follows starts clean */
		fputc ('\n', stdout);
		self->at_eof = TRUE;
		self->in_handler = TRUE;
		g_signal_emit (self, signals[SIGNAL_LINE], 0, NULL);
		self->in_handler = FALSE;
		return;
	}
	/*
	 * A bracketed paste puts its lines in one buffer: each is a line of its
	 * own, run in order and kept in the history, as if typed one by one
	 */
	/* g_strsplit_set() makes nothing of "": an empty line is one too (a "no") */
	if (line[0] != '\0') {
		lines = g_strsplit_set (line, "\r\n", -1);
	} else {
		lines = g_new0 (gchar *, 2);
		lines[0] = g_strdup ("");
	}
	free (line);
	for (guint i = 0; lines[i] != NULL; i++) {
		/* the empty piece after the paste's last newline is no line */
		if (lines[i][0] == '\0' && lines[i + 1] == NULL && i > 0)
			break;
		self->added_last = qmpsh_console_history_add (self->history_path, lines[i]);
		self->in_handler = TRUE;
		g_signal_emit (self, signals[SIGNAL_LINE], 0, lines[i]);
		self->in_handler = FALSE;
		if (!self->started)
			break;
	}
}

static void qmpsh_console_flush (QmpshConsole *self);
static gboolean qmpsh_console_flush_cb (gpointer user_data);

/*
 * Every key that waits, not one a turn: a flood of events then cannot
 * leave keys typed meanwhile further and further behind. What came before
 * the keys is shown before them.
 */
static gboolean
qmpsh_console_stdin_cb (gint fd, GIOCondition condition, gpointer user_data)
{
	/* a line may be the console's last: it must outlive the loop */
	g_autoptr (QmpshConsole) self = g_object_ref (user_data);
	struct pollfd more = { .fd = fd, .events = POLLIN };

	qmpsh_console_flush (self);
	for (guint i = 0; i < QMPSH_CONSOLE_KEYS_MAX; i++) {
		rl_callback_read_char ();
		/* a line may stop the keys: it waits for an answer, or the console ends */
		if (self->stdin_watch == NULL || !self->started || poll (&more, 1, 0) != 1 ||
		    (more.revents & POLLIN) == 0)
			break;
	}
	return G_SOURCE_CONTINUE;
}

static void
qmpsh_console_watch_stdin (QmpshConsole *self)
{
	self->stdin_watch = g_unix_fd_source_new (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback (self->stdin_watch, G_SOURCE_FUNC (qmpsh_console_stdin_cb), self,
			       NULL);
	g_source_attach (self->stdin_watch, NULL);
}

static int qmpsh_console_tab (int count, int key);

/* the held TAB goes on, with what there is, and the keys after it */
static void
qmpsh_console_resume (QmpshConsole *self)
{
	qmpsh_console_watch_stdin (self);
	/* as readline would have done, had the key been handled when it came */
	rl_last_func = self->held_last;
	rl_complete (self->held_count, self->held_key);
	rl_last_func = qmpsh_console_tab;
	(*rl_redisplay_function) ();
}

static gboolean
qmpsh_console_hold_cb (gpointer user_data)
{
	QmpshConsole *self = user_data;

	self->held = 0;
	qmpsh_console_resume (self);
	return G_SOURCE_REMOVE;
}

/*
 * TAB: when what the completion wants is on its way from the server (the
 * schema, a driver's properties, the names a command just changed), the
 * completion waits for it, a second at most, and so do the keys typed after
 * it, so that they keep their order. Nothing else waits.
 */
static int
qmpsh_console_tab (int count, int key)
{
	QmpshConsole *self = the_console;
	rl_command_func_t *last = rl_last_func == qmpsh_console_tab ? rl_complete : rl_last_func;

	if (self != NULL && self->ready != NULL && self->held == 0 &&
	    !self->ready (rl_line_buffer, rl_point, self->complete_data)) {
		self->held_count = count;
		self->held_key = key;
		self->held_last = last;
		qmp_clear_source (&self->stdin_watch);
		self->held = g_timeout_add (QMPSH_CONSOLE_HOLD_MSEC, qmpsh_console_hold_cb, self);
		return 0;
	}
	rl_last_func = last;
	return rl_complete (count, key);
}

/**
 * qmpsh_console_completer_changed:
 * @self: the console
 *
 * More of what the completer wants has come: a TAB that waits for it goes
 * on if all of it is there.
 */
void
qmpsh_console_completer_changed (QmpshConsole *self)
{
	if (self->held != 0 && self->ready != NULL &&
	    self->ready (rl_line_buffer, rl_point, self->complete_data)) {
		g_clear_handle_id (&self->held, g_source_remove);
		qmpsh_console_resume (self);
	}
}

static void qmpsh_console_redisplay (void);

/*
 * readline redraws a resized line from column 0 only with its own
 * redisplay; with another it draws where the cursor is, a copy each time.
 * So its own draws the line, then ours adds the hint.
 */
static gboolean
qmpsh_console_winch_cb (gpointer user_data)
{
	QmpshConsole *self = user_data;

	rl_redisplay_function = rl_redisplay;
	rl_resize_terminal ();
	rl_redisplay_function = qmpsh_console_redisplay;
	self->hinted = FALSE;
	qmpsh_console_redisplay ();
	return G_SOURCE_CONTINUE;
}

static char *
qmpsh_console_generator (const char *text, int state)
{
	/* matches come all at once from the attempted-completion hook */
	return NULL;
}

/*
 * What qmpsh_complete_free() does, here again: this file is built into the
 * console module, and the program exports nothing for a module to call
 */
static void
completion_free (QmpshCompletion *completion)
{
	if (completion == NULL)
		return;
	g_ptr_array_unref (completion->words);
	g_free (completion);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (QmpshCompletionOwned, completion_free, NULL)

static char **
qmpsh_console_attempt (const char *text, int start, int end)
{
	QmpshConsole *self = the_console;
	g_auto (QmpshCompletionOwned) c = NULL;
	char **matches;
	gsize common;

	rl_attempted_completion_over = 1; /* never fall back to file names */
	if (self->complete == NULL)
		return NULL;
	c = self->complete (rl_line_buffer, rl_point, self->complete_data);
	if (c == NULL || c->words->len == 0)
		return NULL;
	/* readline wants the common prefix first, then the matches */
	common = strlen (g_ptr_array_index (c->words, 0));
	for (guint i = 1; i < c->words->len; i++) {
		const gchar *w = g_ptr_array_index (c->words, i);
		gsize j = 0;
		while (j < common && w[j] == ((const gchar *)g_ptr_array_index (c->words, 0))[j])
			j++;
		common = j;
	}
	matches = calloc (c->words->len + 2, sizeof (char *));
	matches[0] = strndup (g_ptr_array_index (c->words, 0), common);
	for (guint i = 0; i < c->words->len; i++)
		matches[i + 1] = strdup (g_ptr_array_index (c->words, i));
	if (c->words->len == 1) {
		free (matches[0]);
		matches[0] = matches[1];
		matches[1] = NULL;
	}
	rl_completion_append_character = c->no_space ? '\0' : ' ';
	return matches;
}

/* the list of matches shows what the word becomes past its `key=` or `a.` */
static void
qmpsh_console_display (char **matches, int n, int max_length)
{
	const char *base = matches[0];
	gsize skip = 0;
	char **shown = calloc (n + 2, sizeof (char *));
	int longest = 0;

	for (gsize i = 0; base != NULL && base[i] != '\0'; i++) {
		if (base[i] == '=' || base[i] == '.')
			skip = i + 1;
	}
	shown[0] = strdup (base != NULL ? base + skip : "");
	for (int i = 1; i <= n; i++) {
		shown[i] = strdup (strlen (matches[i]) >= skip ? matches[i] + skip : matches[i]);
		longest = MAX (longest, (int)strlen (shown[i]));
	}
	rl_display_match_list (shown, n, longest);
	rl_forced_update_display ();
	for (int i = 0; i <= n; i++)
		free (shown[i]);
	free (shown);
}

/* columns @text takes on the screen: not its \001...\002 or escape sequences */
static glong
visible_width (const gchar *text)
{
	glong width = 0;

	for (const gchar *p = text; *p != '\0';) {
		if (*p == '\001') {
			while (*p != '\0' && *p != '\002')
				p++;
			if (*p != '\0')
				p++;
		} else if (*p == '\033' && p[1] == '[') {
			for (p += 2; *p != '\0' && !g_ascii_isalpha (*p); p++)
				;
			if (*p != '\0')
				p++;
		} else {
			gunichar c = g_utf8_get_char_validated (p, -1);
			if (c == (gunichar)-1 || c == (gunichar)-2) {
				p++;
				width++;
				continue;
			}
			width += g_unichar_iswide (c) ? 2 : g_unichar_iszerowidth (c) ? 0 : 1;
			p = g_utf8_next_char (p);
		}
	}
	return width;
}

/* the hint's end, and what is after the line, are wiped: the cursor is at the end */
static void
qmpsh_console_wipe_hint (QmpshConsole *self)
{
	if (!self->hinted)
		return;
	fputs ("\033[K", rl_outstream);
	self->hinted = FALSE;
}

/*
 * readline draws the line; the hint, which readline knows nothing of, is
 * drawn after it, dim, and the cursor put back. It is never part of the
 * line: only what fits on the cursor's screen row is shown.
 */
static void
qmpsh_console_redisplay (void)
{
	QmpshConsole *self = the_console;
	g_autofree gchar *hint = NULL;
	int rows = 0;
	int cols = 0;
	glong used;
	glong room;
	glong width;
	gchar *end;

	rl_redisplay ();
	if (self == NULL)
		return;
	if (rl_point != rl_end) {
		/* the hint stays only while the cursor is at the end */
		if (self->hinted) {
			fprintf (rl_outstream, "\0337\033[%dC\033[K\0338", rl_end - rl_point);
			self->hinted = FALSE;
		}
		fflush (rl_outstream);
		return;
	}
	qmpsh_console_wipe_hint (self);
	if (self->hint != NULL && rl_end < QMPSH_CONSOLE_HINT_LINE_MAX &&
	    !RL_ISSTATE (RL_STATE_ISEARCH))
		hint = self->hint (rl_line_buffer, self->hint_data);
	rl_get_screen_size (&rows, &cols);
	used = visible_width (rl_display_prompt != NULL ? rl_display_prompt : "") +
	       visible_width (rl_line_buffer);
	room = cols > 0 ? cols - 1 - used % cols : 0;
	if (hint != NULL && room > 0 && g_utf8_validate (hint, -1, NULL)) {
		/* a hint is plain text: its characters are its columns */
		width = MIN (g_utf8_strlen (hint, -1), room);
		end = g_utf8_offset_to_pointer (hint, width);
		*end = '\0';
		fprintf (rl_outstream, "\033[2m%s\033[0m\033[%ldD", hint, width);
		self->hinted = TRUE;
	}
	fflush (rl_outstream);
}

/* Enter: the line goes without its hint */
static int
qmpsh_console_accept (int count, int key)
{
	QmpshConsole *self = the_console;

	if (self != NULL && self->hinted) {
		rl_point = rl_end;
		rl_redisplay ();
		qmpsh_console_wipe_hint (self);
	}
	return rl_newline (count, key);
}

/**
 * qmpsh_console_get_width:
 * @self: the console
 *
 * Returns: the terminal's width in columns, or 0 when unknown
 */
glong
qmpsh_console_get_width (QmpshConsole *self)
{
	int rows = 0;
	int cols = 0;

	rl_get_screen_size (&rows, &cols);
	return cols > 0 ? cols : 0;
}

/**
 * qmpsh_console_get_height:
 * @self: the console
 *
 * Returns: the terminal's height in rows, or 0 when unknown
 */
gint
qmpsh_console_get_height (QmpshConsole *self)
{
	int rows = 0;
	int cols = 0;

	rl_get_screen_size (&rows, &cols);
	return rows > 0 ? rows : 0;
}

/**
 * qmpsh_console_set_hinter:
 * @self: the console
 * @func: (nullable): what to show after the cursor; %NULL for nothing
 * @user_data: for @func
 */
void
qmpsh_console_set_hinter (QmpshConsole *self, QmpshHintFunc func, gpointer user_data)
{
	self->hint = func;
	self->hint_data = user_data;
}

/**
 * qmpsh_console_start:
 * @self: the console
 *
 * Shows the prompt and starts reading keys from the main loop.
 */
void
qmpsh_console_start (QmpshConsole *self)
{
	if (self->started)
		return;
	self->started = TRUE;
	the_console = self;
	rl_readline_name = "qmpsh";
	/* GLib handles the signals: Ctrl-C must not kill readline's line or the shell */
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_attempted_completion_function = qmpsh_console_attempt;
	rl_completion_entry_function = qmpsh_console_generator;
	rl_completion_display_matches_hook = qmpsh_console_display;
	rl_completer_word_break_characters = " \t";
	rl_sort_completion_matches = 0;
	rl_redisplay_function = qmpsh_console_redisplay;
	rl_bind_key ('\r', qmpsh_console_accept);
	rl_bind_key ('\n', qmpsh_console_accept);
	rl_bind_key ('\t', qmpsh_console_tab);
	self->history_path = qmpsh_console_history_open (self->history_path);
	rl_callback_handler_install (self->prompt, qmpsh_console_line_cb);
	qmpsh_console_watch_stdin (self);
	self->winch = g_unix_signal_source_new (SIGWINCH);
	g_source_set_callback (self->winch, qmpsh_console_winch_cb, self, NULL);
	g_source_attach (self->winch, NULL);
}

/**
 * qmpsh_console_stop:
 * @self: the console
 *
 * Stops reading keys and gives the terminal back as it was.
 */
void
qmpsh_console_stop (QmpshConsole *self)
{
	if (!self->started)
		return;
	qmpsh_console_flush (self);
	self->started = FALSE;
	g_clear_handle_id (&self->held, g_source_remove);
	qmp_clear_source (&self->stdin_watch);
	qmp_clear_source (&self->winch);
	rl_callback_handler_remove ();
	/* leaving for another reason: end the prompt's line for the shell that follows */
	if (!self->at_eof && !self->in_handler)
		fputc ('\n', stdout);
	fflush (stdout);
	if (the_console == self)
		the_console = NULL;
}

/**
 * qmpsh_console_set_prompt:
 * @self: the console
 * @prompt: the new prompt
 */
void
qmpsh_console_set_prompt (QmpshConsole *self, const gchar *prompt)
{
	if (g_strcmp0 (self->prompt, prompt) == 0)
		return;
	g_free (self->prompt);
	self->prompt = g_strdup (prompt);
	if (!self->started)
		return;
	/* in the line handler readline draws the next prompt itself, once */
	if (self->in_handler || self->aside) {
		rl_set_prompt (self->prompt);
		return;
	}
	/* drawn at the end of the turn: a run of STOP and RESUME draws it once */
	self->prompt_stale = TRUE;
	if (self->flush == 0)
		self->flush =
			g_idle_add_full (G_PRIORITY_DEFAULT, qmpsh_console_flush_cb, self, NULL);
}

static void
qmpsh_console_flush (QmpshConsole *self)
{
	g_clear_handle_id (&self->flush, g_source_remove);
	if (self->prompt_stale && self->pending->len == 0) {
		self->prompt_stale = FALSE;
		rl_set_prompt (self->prompt);
		if (!self->in_handler)
			rl_redisplay ();
	}
	if (self->pending->len == 0)
		return;
	qmpsh_console_step_aside (self, FALSE);
	qmpsh_console_step_back (self);
}

static gboolean
qmpsh_console_flush_cb (gpointer user_data)
{
	QmpshConsole *self = user_data;

	self->flush = 0;
	qmpsh_console_flush (self);
	return G_SOURCE_REMOVE;
}

/**
 * qmpsh_console_print:
 * @self: the console
 * @text: whole lines to print
 *
 * Prints above the prompt: the line being typed and the cursor stay as they are.
 */
void
qmpsh_console_print (QmpshConsole *self, const gchar *text)
{
	g_string_append (self->pending, text);
	if (text[0] != '\0' && text[strlen (text) - 1] != '\n')
		g_string_append_c (self->pending, '\n');
	/* a flood of events is drawn once a turn, not once an event */
	if (!self->started || self->pending->len >= QMPSH_CONSOLE_PENDING_MAX)
		qmpsh_console_flush (self);
	else if (self->flush == 0)
		self->flush =
			g_idle_add_full (G_PRIORITY_DEFAULT, qmpsh_console_flush_cb, self, NULL);
}

/**
 * qmpsh_console_pause_input:
 * @self: the console
 * @paused: whether keys wait in the terminal, unread, until it is %FALSE again
 */
void
qmpsh_console_pause_input (QmpshConsole *self, gboolean paused)
{
	if (!self->started)
		return;
	if (paused)
		qmp_clear_source (&self->stdin_watch);
	else if (self->stdin_watch == NULL && self->held == 0)
		qmpsh_console_watch_stdin (self);
}

/**
 * qmpsh_console_step_aside:
 * @self: the console
 * @terminal: whether another program takes the terminal meanwhile (a pipe's
 *   command, such as less): it gets it as it was before readline's changes
 *
 * The prompt and the line being typed leave the screen, so that something
 * else can write there; qmpsh_console_step_back() brings them back.
 */
void
qmpsh_console_step_aside (QmpshConsole *self, gboolean terminal)
{
	/* the prompt that comes back is the newest */
	if (self->prompt_stale) {
		self->prompt_stale = FALSE;
		rl_set_prompt (self->prompt);
	}
	if (!self->aside && self->started && !self->in_handler && RL_ISSTATE (RL_STATE_CALLBACK)) {
		self->aside = TRUE;
		self->saved_point = rl_point;
		self->saved_line = rl_copy_text (0, rl_end);
		rl_save_prompt ();
		rl_replace_line ("", 0);
		rl_redisplay ();
	}
	/* what was printed goes first */
	g_clear_handle_id (&self->flush, g_source_remove);
	if (self->pending->len > 0) {
		fwrite (self->pending->str, 1, self->pending->len, stdout);
		g_string_truncate (self->pending, 0);
	}
	fflush (stdout);
	if (terminal && self->started && !self->deprepped) {
		rl_deprep_terminal ();
		self->deprepped = TRUE;
	}
}

void
qmpsh_console_step_back (QmpshConsole *self)
{
	if (self->deprepped) {
		rl_prep_terminal (1);
		self->deprepped = FALSE;
	}
	if (!self->aside)
		return;
	self->aside = FALSE;
	rl_restore_prompt ();
	rl_replace_line (self->saved_line, 0);
	rl_point = self->saved_point;
	rl_forced_update_display ();
	g_clear_pointer (&self->saved_line, free);
}

/**
 * qmpsh_console_clear_line:
 * @self: the console
 *
 * Drops the line being typed, as Ctrl-C does in a shell.
 */
void
qmpsh_console_clear_line (QmpshConsole *self)
{
	if (!self->started)
		return;
	qmpsh_console_flush (self);
	if (self->held != 0) {
		/* the TAB that waited goes with its line */
		g_clear_handle_id (&self->held, g_source_remove);
		qmpsh_console_watch_stdin (self);
	}
	/* as a shell does: the line stays on the screen, marked, and a fresh one starts */
	rl_point = rl_end;
	rl_redisplay ();
	qmpsh_console_wipe_hint (self);
	fputs ("^C\n", stdout);
	rl_replace_line ("", 0);
	rl_point = 0;
	rl_on_new_line ();
	rl_redisplay ();
}

/**
 * qmpsh_console_forget_last:
 * @self: the console
 *
 * Takes the line just typed back out of the history: an answer to a
 * question is no command to find again.
 */
void
qmpsh_console_forget_last (QmpshConsole *self)
{
	if (self->added_last)
		qmpsh_console_history_remove_last (self->history_path);
	self->added_last = FALSE;
}

/**
 * qmpsh_console_set_completer:
 * @self: the console
 * @func: (nullable): what TAB asks
 * @ready: (nullable): whether @func has all it wants; TAB waits a little if not
 * @user_data: data for @func and @ready
 */
void
qmpsh_console_set_completer (QmpshConsole *self, QmpshCompleteFunc func, QmpshReadyFunc ready,
			     gpointer user_data)
{
	self->complete = func;
	self->ready = ready;
	self->complete_data = user_data;
}

static void
qmpsh_console_dispose (GObject *object)
{
	qmpsh_console_stop (QMPSH_CONSOLE (object));
	G_OBJECT_CLASS (qmpsh_console_parent_class)->dispose (object);
}

static void
qmpsh_console_finalize (GObject *object)
{
	QmpshConsole *self = QMPSH_CONSOLE (object);
	g_free (self->history_path);
	g_free (self->prompt);
	g_string_free (self->pending, TRUE);
	G_OBJECT_CLASS (qmpsh_console_parent_class)->finalize (object);
}

static void
qmpsh_console_init (QmpshConsole *self)
{
	self->pending = g_string_new (NULL);
}

static void
qmpsh_console_class_init (QmpshConsoleClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_console_dispose;
	object_class->finalize = qmpsh_console_finalize;

	/**
	 * QmpshConsole::line:
	 * @self: the console
	 * @line: (nullable): the line typed, or %NULL at end of input (Ctrl-D)
	 */
	signals[SIGNAL_LINE] = g_signal_new ("line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
					     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}
