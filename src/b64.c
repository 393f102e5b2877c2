/* b64.c: base64 decoding that survives what mailers write: line breaks,
 * junk characters and padding in the middle (concatenated encodings). */

#include "b64.h"

/* Value of a base64 digit, or -1. */
static int
b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t
b64_decode_step(struct b64 *st, const char *in, size_t len,
    unsigned char *out)
{
	size_t	i, n = 0;
	int	v;

	for (i = 0; i < len; i++) {
		if (in[i] == '=') {
			/* Padding ends a quantum; a new one may follow. */
			st->acc = 0;
			st->bits = 0;
			continue;
		}
		if ((v = b64_val(in[i])) < 0)
			continue;
		st->acc = ((st->acc << 6) | (unsigned int)v) & 0xffffff;
		st->bits += 6;
		if (st->bits >= 8) {
			st->bits -= 8;
			out[n++] = (unsigned char)((st->acc >> st->bits) & 0xff);
		}
	}
	return n;
}
