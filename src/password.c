/* password.c: password-protected ZIPs (PPAP): candidate passwords found
 * in the applicant's following mails are tried on the case's encrypted
 * ZIP; the first that opens every entry lets the check go on.  Passwords
 * are never logged, stored or repeated in a letter. */

#include <string.h>

#include "forms.h"
#include "intake.h"
#include "nintei.h"

/* Words that announce a password on a line. */
static const char *password_words[] = {
	"パスワード", "ﾊﾟｽﾜｰﾄﾞ", "解凍", "暗証", "password", "passwd", "pass",
	"pw", "pwd", NULL
};

/* Does the (lower-cased) line hold a password word? */
static const char *
password_word(const char *low)
{
	size_t		 i;
	const char	*p;

	for (i = 0; password_words[i] != NULL; i++) {
		if ((p = strstr(low, password_words[i])) == NULL)
			continue;
		/* ASCII words must stand alone: "pw" not in "pwned". */
		if (g_ascii_isalpha(*password_words[i]) &&
		    ((p > low && g_ascii_isalnum(p[-1])) ||
		    g_ascii_isalpha(p[strlen(password_words[i])])))
			continue;
		return p + strlen(password_words[i]);
	}
	return NULL;
}

/* Strips brackets and quotes around a token and 。 or です after it. */
static char *
password_token(const char *s)
{
	static const char *open[] = { "「", "『", "【", "\"", "'", "（", "(",
	    "：", ":", "＝", "=", "は", NULL };
	static const char *close[] = { "」", "』", "】", "\"", "'", "）", ")",
	    "です。", "です", "。", "、", NULL };
	char		*t = g_strdup(s), *u;
	size_t		 i, n;
	int		 again = 1;

	g_strstrip(t);
	while (again) {
		again = 0;
		for (i = 0; open[i] != NULL; i++) {
			n = strlen(open[i]);
			if (strncmp(t, open[i], n) == 0) {
				memmove(t, t + n, strlen(t + n) + 1);
				g_strchug(t);
				again = 1;
			}
		}
	}
	/* The token ends at the first blank (of either width). */
	if ((u = strstr(t, "　")) != NULL)
		*u = '\0';
	t[strcspn(t, " \t")] = '\0';
	again = 1;
	while (again) {
		again = 0;
		for (i = 0; close[i] != NULL; i++) {
			n = strlen(close[i]);
			if (strlen(t) >= n &&
			    strcmp(t + strlen(t) - n, close[i]) == 0) {
				t[strlen(t) - n] = '\0';
				again = 1;
			}
		}
	}
	return t;
}

/* Is a token plausible as a password (printable, 1-64 bytes, not a
 * word of the announcement itself)? */
static int
password_plausible(const char *t)
{
	size_t	n = strlen(t);

	if (n == 0 || n > 64 || !g_utf8_validate(t, -1, NULL))
		return 0;
	if (password_word(t) == t + strlen(t))
		return 0;
	return strpbrk(t, "\r\n\t") == NULL;
}

static void
password_add(GPtrArray *out, char *t)
{
	guint	i;

	if (!password_plausible(t) || out->len >= 10) {
		g_free(t);
		return;
	}
	for (i = 0; i < out->len; i++) {
		if (strcmp(g_ptr_array_index(out, i), t) == 0) {
			g_free(t);
			return;
		}
	}
	g_ptr_array_add(out, t);
}

/*
 * Finds candidate passwords in a mail's text: on a line with a password
 * word ("パスワード：xxxx", "PW: xxxx", "解凍パスワードは「xxxx」です"),
 * or alone on the line after one.  At most ten, in order.
 */
GPtrArray *
password_candidates(const char *text)
{
	GPtrArray	*out = g_ptr_array_new_with_free_func(g_free);
	char		**lines, *low, *line;
	const char	*after;
	size_t		 i;

	if (text == NULL)
		return out;
	lines = g_strsplit(text, "\n", 200);
	for (i = 0; lines[i] != NULL; i++) {
		line = lines[i];
		g_strstrip(line);
		if (*line == '>' || *line == '|')
			continue;	/* quoted text */
		low = g_ascii_strdown(line, -1);
		after = password_word(low);
		if (after != NULL) {
			password_add(out, password_token(line + (after - low)));
			if (lines[i + 1] != NULL) {
				g_strstrip(lines[i + 1]);
				if (strpbrk(lines[i + 1], " 　") == NULL)
					password_add(out,
					    password_token(lines[i + 1]));
			}
		}
		g_free(low);
	}
	g_strfreev(lines);
	return out;
}

/* Wipes and frees the candidates: no password outlives its use. */
void
password_forget(GPtrArray *cands)
{
	char	*p;
	guint	 i;

	for (i = 0; i < cands->len; i++) {
		p = g_ptr_array_index(cands, i);
		explicit_bzero(p, strlen(p));
	}
	g_ptr_array_free(cands, TRUE);
}
