/* size.c: byte counts for people: the one place sizes are written (no
 * I/O, no state). */

#include <glib.h>

#include "size.h"

#define SIZE_MIB	((uint64_t)1024 * 1024)

char *
size_about(uint64_t n)
{
	if (n < 1024)
		return g_strdup_printf("%" G_GUINT64_FORMAT " B", n);
	if (n < SIZE_MIB)
		return g_strdup_printf("%" G_GUINT64_FORMAT " KB",
		    (n + 1023) / 1024);
	return g_strdup_printf("%.1f MB", (double)n / (double)SIZE_MIB);
}

const char *
size_exact(uint64_t n, char *buf, size_t len)
{
	if (n >= SIZE_MIB && n % SIZE_MIB == 0)
		g_snprintf(buf, len, "%llu MB",
		    (unsigned long long)(n / SIZE_MIB));
	else
		g_snprintf(buf, len, "%llu バイト", (unsigned long long)n);
	return buf;
}
