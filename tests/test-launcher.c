/*
 * Copyright 2026 The qmpsh authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

/*
 * Which monitor option --launch gives QEMU, from what the QEMU command
 * printed for `-object help`: tests/test-cli.c runs the whole probe against
 * real QEMUs; here, every shape of the answer.
 */

#include "qmpsh-launcher.h"

/* the start of what QEMU 7.2 prints, as it prints it */
static const gchar *const list_without = "List of user creatable objects:\n"
					 "  authz-list\n"
					 "  authz-list-file\n"
					 "  authz-simple\n"
					 "  can-bus\n"
					 "  secret\n"
					 "  tls-creds-x509\n";

static gchar *
joined (const gchar *const *words)
{
	return g_strjoinv (" ", (gchar **)words);
}

static void
assert_mon (const gchar *object_help)
{
	g_autofree gchar *args = joined (qmpsh_launcher_monitor_args (object_help));
	g_assert_cmpstr (args, ==, "-mon chardev=qmpsh,mode=control");
}

static void
assert_object (const gchar *object_help)
{
	g_autofree gchar *args = joined (qmpsh_launcher_monitor_args (object_help));
	g_assert_cmpstr (args, ==, "-object monitor-qmp,id=qmpsh,chardev=qmpsh");
}

static void
test_listed (void)
{
	g_autofree gchar *with = g_strconcat (list_without, "  monitor-hmp\n  monitor-qmp\n", NULL);
	g_autofree gchar *at_end = g_strconcat (list_without, "  monitor-qmp", NULL);
	g_autofree gchar *crlf = g_strconcat (list_without, "  monitor-qmp\r\n", NULL);

	assert_object (with);
	assert_object (at_end);
	assert_object (crlf);
}

static void
test_not_listed (void)
{
	g_autofree gchar *hmp_only = g_strconcat (list_without, "  monitor-hmp\n", NULL);
	g_autofree gchar *longer = g_strconcat (list_without, "  monitor-qmp-x\n", NULL);
	g_autofree gchar *in_text = g_strconcat (list_without, "  see monitor-qmp too\n", NULL);

	assert_mon (list_without);
	assert_mon (hmp_only);
	assert_mon (longer);
	assert_mon (in_text);
}

/* a command that failed or printed nothing said nothing: the option every QEMU had */
static void
test_no_answer (void)
{
	assert_mon (NULL);
	assert_mon ("");
	assert_mon ("sh: 0: Illegal option -o help\n");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/launcher/monitor-qmp-listed", test_listed);
	g_test_add_func ("/launcher/monitor-qmp-not-listed", test_not_listed);
	g_test_add_func ("/launcher/no-answer", test_no_answer);
	return g_test_run ();
}
