/* main.c: the nintei program's entry point. */

#include "nintei.h"

int
main(int argc, char **argv)
{
	return cmd_main(argc, argv);
}
