/* main.c: the nintei program's entry point: GMime made ready once, then
 * the command line. */

#include "mail.h"
#include "nintei.h"

int
main(int argc, char **argv)
{
	mail_init();
	return cmd_main(argc, argv);
}
