/* main.c: the nintei program's entry point: GMime made ready once, then
 * the command line. */

#include "cmd.h"
#include "mail.h"

int
main(int argc, char **argv)
{
	mail_init();
	return cmd_main(argc, argv);
}
