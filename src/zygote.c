/* zygote.c: the nintei-parse program, the parsing zygote: nintei executes
 * it at start with only its socket open, so that it holds none of nintei's
 * memory and maps only what parsing needs (GMime, libzip, expat, zlib,
 * libseccomp); it forks a child for each message (sandbox.c, parse.c). */

#include <glib.h>

#include "intake.h"
#include "mail.h"

int
main(void)
{
	mail_init();
	return sandbox_zygote_main(parse_setup, parse_child,
	    parse_charset);
}
