/* size.h: byte counts written for people (size.c), the two ways nintei
 * writes them: about (a file's size) and exactly (a limit). */
#ifndef SIZE_H
#define SIZE_H

#include <stddef.h>
#include <stdint.h>

/* "512 B", "245 KB" (rounded up), "2.1 MB": a size as the letters and
 * the staff's lists show it.  A new string. */
char		*size_about(uint64_t);
/* "50 MB" when a whole number of MiB, else "1234 バイト": a limit, as the
 * readers' problems say it, written into buf. */
const char	*size_exact(uint64_t, char *buf, size_t len);

#endif
