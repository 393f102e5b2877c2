/* b64.c: base64 decoding that survives what mailers write: line breaks,
 * junk characters and padding in the middle (concatenated encodings). */

#include "b64.h"

/* Value of each character plus one: 0 for what is not a base64 digit. */
static const unsigned char b64_table[256] = {
#define B64_FIVE(c0, v0)						\
	[(c0)] = (v0) + 1, [(c0) + 1] = (v0) + 2,			\
	[(c0) + 2] = (v0) + 3, [(c0) + 3] = (v0) + 4,			\
	[(c0) + 4] = (v0) + 5
	B64_FIVE('A', 0), B64_FIVE('F', 5), B64_FIVE('K', 10),
	B64_FIVE('P', 15), B64_FIVE('U', 20), ['Z'] = 26,
	B64_FIVE('a', 26), B64_FIVE('f', 31), B64_FIVE('k', 36),
	B64_FIVE('p', 41), B64_FIVE('u', 46), ['z'] = 52,
	B64_FIVE('0', 52), B64_FIVE('5', 57),
	['+'] = 63, ['/'] = 64
#undef B64_FIVE
};

size_t
b64_decode_step(struct b64 *st, const char *in, size_t len,
    unsigned char *out)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 i = 0, n = 0;
	unsigned int		 a, b, c, d;

	while (i < len) {
		/* Whole quanta, the usual case, four digits at a time. */
		if (st->bits == 0 && len - i >= 4 &&
		    (a = b64_table[p[i]]) != 0 && (b = b64_table[p[i + 1]]) !=
		    0 && (c = b64_table[p[i + 2]]) != 0 &&
		    (d = b64_table[p[i + 3]]) != 0) {
			st->acc = ((a - 1) << 18) | ((b - 1) << 12) |
			    ((c - 1) << 6) | (d - 1);
			out[n++] = (unsigned char)(st->acc >> 16);
			out[n++] = (unsigned char)(st->acc >> 8);
			out[n++] = (unsigned char)st->acc;
			i += 4;
			continue;
		}
		if (p[i] == '=') {
			/* Padding ends a quantum; a new one may follow. */
			st->acc = 0;
			st->bits = 0;
		} else if ((a = b64_table[p[i]]) != 0) {
			st->acc = ((st->acc << 6) | (a - 1)) & 0xffffff;
			st->bits += 6;
			if (st->bits >= 8) {
				st->bits -= 8;
				out[n++] = (unsigned char)((st->acc >>
				    st->bits) & 0xff);
			}
		}
		i++;
	}
	return n;
}
