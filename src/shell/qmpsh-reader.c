/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qmpsh-reader.h"
#include "qmp-source.h"
#include "qmpsh-parser.h"

#include <errno.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#define QMPSH_READER_CHUNK (64 * 1024)
/* lines a branch may run ahead of the slowest before reading waits for it */
#define QMPSH_READER_AHEAD 1024

/**
 * QmpshReader:
 *
 * Lines from a descriptor (standard input, a file of commands), read from
 * the main loop only while they are wanted, so that input waits in its pipe
 * while the session is busy. A line longer than QEMU reads is dropped as it
 * streams in, so memory stays near that cap whatever comes, and reported once
 * its end is found; a partial line is searched for its end only once.
 *
 * Several consumers of the same lines (the sessions of several targets)
 * each take a branch (qmpsh_reader_new_branch()): every branch sees every
 * line, at its own pace. Lines are read while some branch wants them and
 * kept until every branch has taken them; a branch that runs
 * %QMPSH_READER_AHEAD lines ahead of the slowest waits for it, so that
 * memory stays bounded, and a closed branch holds nobody back.
 */

typedef struct {
	QmpshReaderStatus status;
	gchar *line;
	gsize len;
} QmpshReaderEntry;
struct _QmpshReader {
	GObject parent_instance;
	gint fd;
	GString *buf;
	gsize pos;	/* where the next line starts */
	gsize searched; /* how much of the partial line at pos has no LF */
	gboolean skipping;
	gboolean eof;
	gchar *failure;
	GSource *watch;

	/* a reader with branches: the lines read and not yet taken by all */
	GPtrArray *branches; /* (element-type QmpshReader) (unowned) */
	GQueue *log;	     /* QmpshReaderEntry */
	guint64 log_base;    /* the index of the log's first entry */

	/* a branch */
	QmpshReader *parent;
	guint64 next; /* the index of its next line in the parent's log */
	gboolean wanted;
	gboolean closed;
	gulong input_id;
	gchar *current; /* the line handed out last, the branch's own copy */
};

G_DEFINE_TYPE (QmpshReader, qmpsh_reader, G_TYPE_OBJECT)

enum { SIGNAL_INPUT, N_SIGNALS };
static guint signals[N_SIGNALS];

/**
 * qmpsh_reader_new:
 * @fd: the descriptor to read; not closed
 *
 * Returns: (transfer full): a reader
 */
QmpshReader *
qmpsh_reader_new (gint fd)
{
	QmpshReader *self = g_object_new (QMPSH_TYPE_READER, NULL);
	self->fd = fd;
	return self;
}

static gboolean
qmpsh_reader_readable_cb (gint fd, GIOCondition condition, gpointer user_data)
{
	QmpshReader *self = QMPSH_READER (user_data);
	gchar chunk[QMPSH_READER_CHUNK];
	gssize n = read (fd, chunk, sizeof (chunk));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n < 0)
		self->failure = g_strdup_printf ("cannot read the input: %s", g_strerror (errno));
	if (n <= 0)
		self->eof = TRUE;
	else
		g_string_append_len (self->buf, chunk, n);
	/* what was handed out goes, before the buffer grows much */
	if (self->pos > QMPSH_READER_CHUNK) {
		g_string_erase (self->buf, 0, self->pos);
		self->pos = 0;
	}
	if (self->eof)
		qmp_clear_source (&self->watch);
	g_signal_emit (self, signals[SIGNAL_INPUT], 0);
	return G_SOURCE_CONTINUE;
}

/**
 * qmpsh_reader_set_wanted:
 * @self: a reader
 * @wanted: whether to read when there is input; #QmpshReader::input then says so
 */
static void
qmpsh_reader_watch (QmpshReader *self, gboolean wanted)
{
	if (!wanted || self->eof) {
		qmp_clear_source (&self->watch);
		return;
	}
	if (self->watch != NULL)
		return;
	self->watch = g_unix_fd_source_new (self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback (self->watch, G_SOURCE_FUNC (qmpsh_reader_readable_cb), self, NULL);
	/* no wakeup of the loop for each read: see qmp_reader_new() */
	g_source_set_can_recurse (self->watch, TRUE);
	g_source_attach (self->watch, NULL);
}

/* the parent reads while a branch wants more and none is too far behind */
static void
qmpsh_reader_update (QmpshReader *self)
{
	gboolean wanted = FALSE;
	guint64 oldest = G_MAXUINT64;

	for (guint i = 0; i < self->branches->len; i++) {
		QmpshReader *branch = g_ptr_array_index (self->branches, i);
		wanted |= branch->wanted;
		oldest = MIN (oldest, branch->next);
	}
	/* what every branch has taken goes */
	while (!g_queue_is_empty (self->log) && self->log_base < oldest) {
		QmpshReaderEntry *entry = g_queue_pop_head (self->log);
		g_free (entry->line);
		g_free (entry);
		self->log_base++;
	}
	qmpsh_reader_watch (self, wanted && g_queue_get_length (self->log) < QMPSH_READER_AHEAD);
}

/**
 * qmpsh_reader_set_wanted:
 * @self: a reader
 * @wanted: whether to read when there is input; #QmpshReader::input then says so
 */
void
qmpsh_reader_set_wanted (QmpshReader *self, gboolean wanted)
{
	if (self->parent == NULL) {
		qmpsh_reader_watch (self, wanted);
		return;
	}
	self->wanted = wanted && !self->closed;
	qmpsh_reader_update (self->parent);
}

static void
qmpsh_reader_parent_input_cb (QmpshReader *parent, gpointer user_data)
{
	QmpshReader *self = QMPSH_READER (user_data);
	if (self->wanted)
		g_signal_emit (self, signals[SIGNAL_INPUT], 0);
}

/**
 * qmpsh_reader_new_branch:
 * @parent: a reader made by qmpsh_reader_new()
 *
 * Returns: (transfer full): a reader of the same lines as every other
 *   branch of @parent, from the first line that not all of them have taken
 */
QmpshReader *
qmpsh_reader_new_branch (QmpshReader *parent)
{
	QmpshReader *self = g_object_new (QMPSH_TYPE_READER, NULL);

	g_return_val_if_fail (parent->parent == NULL, self);
	self->parent = g_object_ref (parent);
	self->next = parent->log_base;
	g_ptr_array_add (parent->branches, self);
	self->input_id =
		g_signal_connect (parent, "input", G_CALLBACK (qmpsh_reader_parent_input_cb), self);
	return self;
}

/**
 * qmpsh_reader_close:
 * @self: a reader
 *
 * No more lines are wanted from @self: a branch then holds the others back
 * no longer, and has no more lines.
 */
void
qmpsh_reader_close (QmpshReader *self)
{
	QmpshReader *parent = self->parent;

	if (parent == NULL) {
		qmpsh_reader_watch (self, FALSE);
		return;
	}
	if (self->closed)
		return;
	self->closed = TRUE;
	self->wanted = FALSE;
	g_clear_signal_handler (&self->input_id, parent);
	g_ptr_array_remove (parent->branches, self);
	qmpsh_reader_update (parent);
}

static QmpshReaderStatus qmpsh_reader_next_line (QmpshReader *self, const gchar **line, gsize *len,
						 gchar **message);

/* a branch: the log's line, or the parent's next, logged for the other branches */
static QmpshReaderStatus
qmpsh_reader_branch_next (QmpshReader *self, const gchar **line, gsize *len, gchar **message)
{
	QmpshReader *parent = self->parent;
	QmpshReaderEntry *entry;
	QmpshReaderStatus status;

	*line = NULL;
	*len = 0;
	*message = NULL;
	g_clear_pointer (&self->current, g_free);
	if (self->closed)
		return QMPSH_READER_END;
	if (self->next < parent->log_base + g_queue_get_length (parent->log)) {
		entry = g_queue_peek_nth (parent->log, (guint)(self->next - parent->log_base));
		self->next++;
		/* a line longer than strlen() keeps its NUL bytes */
		if (entry->line != NULL)
			*line = self->current = g_memdup2 (entry->line, entry->len + 1);
		*len = entry->len;
		status = entry->status;
		qmpsh_reader_update (parent);
		return status;
	}
	/* the end, and a failure, are the parent's to keep: a failure is said to one branch */
	status = qmpsh_reader_next_line (parent, line, len, message);
	if (status != QMPSH_READER_LINE && status != QMPSH_READER_TOO_LONG)
		return status;
	entry = g_new0 (QmpshReaderEntry, 1);
	entry->status = status;
	entry->len = *len;
	if (*line != NULL) {
		entry->line = g_memdup2 (*line, *len + 1);
		*line = self->current = g_memdup2 (*line, *len + 1);
	}
	g_queue_push_tail (parent->log, entry);
	self->next++;
	qmpsh_reader_update (parent);
	return status;
}

/**
 * qmpsh_reader_next:
 * @self: a reader
 * @line: (out) (transfer none): the line, without its LF (or CRLF), valid
 *   until the next call, or until the loop runs the reader again
 * @len: (out): its length: a NUL byte in it makes it longer than strlen()
 * @message: (out) (transfer full): for %QMPSH_READER_FAILED, why
 *
 * Returns: what there is
 */
QmpshReaderStatus
qmpsh_reader_next (QmpshReader *self, const gchar **line, gsize *len, gchar **message)
{
	if (self->parent != NULL)
		return qmpsh_reader_branch_next (self, line, len, message);
	return qmpsh_reader_next_line (self, line, len, message);
}

static QmpshReaderStatus
qmpsh_reader_next_line (QmpshReader *self, const gchar **line, gsize *len, gchar **message)
{
	gchar *start = self->buf->str + self->pos;
	gsize avail = self->buf->len - self->pos;
	gsize searched = MIN (self->searched, avail);
	const gchar *nl = memchr (start + searched, '\n', avail - searched);
	gsize n;

	*line = NULL;
	*len = 0;
	*message = NULL;
	self->searched = 0;
	if (nl == NULL) {
		self->searched = avail;
		if (avail > QMPSH_LINE_MAX) {
			self->skipping = TRUE;
			self->pos = self->buf->len;
			self->searched = 0;
			avail = 0;
		}
		if (!self->eof)
			return QMPSH_READER_AGAIN;
		if (avail == 0 && !self->skipping) {
			if (self->failure != NULL) {
				*message = g_steal_pointer (&self->failure);
				return QMPSH_READER_FAILED;
			}
			return QMPSH_READER_END;
		}
		/* at the end a last line may lack its LF */
		nl = self->buf->str + self->buf->len;
	}
	n = nl - start;
	self->pos += n + (nl < self->buf->str + self->buf->len ? 1 : 0);
	if (self->skipping) {
		self->skipping = FALSE;
		return QMPSH_READER_TOO_LONG;
	}
	if (n > 0 && start[n - 1] == '\r')
		n--;
	/* handed out in place: its end, taken already, makes room for the NUL */
	start[n] = '\0';
	*line = start;
	*len = n;
	return QMPSH_READER_LINE;
}

static void
qmpsh_reader_dispose (GObject *object)
{
	QmpshReader *self = QMPSH_READER (object);
	if (self->parent != NULL) {
		qmpsh_reader_close (self);
		g_clear_object (&self->parent);
	}
	qmp_clear_source (&self->watch);
	G_OBJECT_CLASS (qmpsh_reader_parent_class)->dispose (object);
}

static void
qmpsh_reader_finalize (GObject *object)
{
	QmpshReader *self = QMPSH_READER (object);
	g_string_free (self->buf, TRUE);
	g_free (self->failure);
	g_free (self->current);
	while (!g_queue_is_empty (self->log)) {
		QmpshReaderEntry *entry = g_queue_pop_head (self->log);
		g_free (entry->line);
		g_free (entry);
	}
	g_queue_free (self->log);
	g_ptr_array_unref (self->branches);
	G_OBJECT_CLASS (qmpsh_reader_parent_class)->finalize (object);
}

static void
qmpsh_reader_init (QmpshReader *self)
{
	self->buf = g_string_new (NULL);
	self->fd = -1;
	self->log = g_queue_new ();
	self->branches = g_ptr_array_new ();
}

static void
qmpsh_reader_class_init (QmpshReaderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS (klass);
	object_class->dispose = qmpsh_reader_dispose;
	object_class->finalize = qmpsh_reader_finalize;

	/**
	 * QmpshReader::input:
	 * @self: the reader
	 *
	 * More input came, or its end: qmpsh_reader_next() may have a line now.
	 */
	signals[SIGNAL_INPUT] = g_signal_new ("input", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
					      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}
