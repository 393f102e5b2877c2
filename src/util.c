/* util.c: small helpers shared by the stages: display widths for aligned
 * Japanese columns, yen amounts, folders made and synced. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "nintei.h"

/* Columns a string takes on a terminal: wide (CJK) characters take two. */
int
util_display_width(const char *s)
{
	int		w = 0;
	gunichar	c;

	if (!g_utf8_validate(s, -1, NULL))
		return (int)strlen(s);
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		c = g_utf8_get_char(s);
		if (g_unichar_iszerowidth(c))
			continue;
		w += g_unichar_iswide(c) ? 2 : 1;
	}
	return w;
}

/* s followed by blanks up to width columns. */
char *
util_pad(const char *s, int width)
{
	GString	*out = g_string_new(s);
	int	 w = util_display_width(s);

	while (w++ < width)
		g_string_append_c(out, ' ');
	return g_string_free(out, FALSE);
}

/* 209000 -> "209,000" (negative amounts keep their sign). */
char *
util_yen(int64_t n)
{
	char	 digits[32];
	GString	*out = g_string_new(NULL);
	size_t	 len, i;
	uint64_t u = n < 0 ? (uint64_t)(-(n + 1)) + 1 : (uint64_t)n;

	g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, u);
	len = strlen(digits);
	if (n < 0)
		g_string_append_c(out, '-');
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			g_string_append_c(out, ',');
		g_string_append_c(out, digits[i]);
	}
	return g_string_free(out, FALSE);
}

int
util_mkdirs(const char *path, char **cause)
{
	if (g_mkdir_with_parents(path, 0750) != 0) {
		*cause = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return -1;
	}
	return 0;
}

/* Syncs a folder, so that a file linked or renamed into it stays. */
int
util_fsync_dir(const char *path, char **cause)
{
	int	fd;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		*cause = g_strdup_printf("%s: %s", path, g_strerror(errno));
		return -1;
	}
	if (fsync(fd) != 0) {
		*cause = g_strdup_printf("fsync %s: %s", path,
		    g_strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* A copy fit for a terminal or a one-line field: control characters
 * (which could move a staff member's cursor or fake lines) become blanks,
 * invalid UTF-8 becomes U+FFFD. */
char *
util_clean(const char *s)
{
	GString		*out = g_string_new(NULL);
	const char	*end;
	gunichar	 c;

	while (*s != '\0') {
		if (!g_utf8_validate(s, -1, &end) && end == s) {
			g_string_append(out, "\xef\xbf\xbd");
			s++;
			continue;
		}
		c = g_utf8_get_char(s);
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
		    c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069))
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, c);
		s = g_utf8_next_char(s);
	}
	return g_string_free(out, FALSE);
}
