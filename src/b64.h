/* b64.h: a tolerant base64 decoder (padding anywhere, junk ignored). */
#ifndef B64_H
#define B64_H

#include <stddef.h>

struct b64 {
	unsigned int	acc;
	int		bits;
};

/* Decodes len characters into out (room for len * 3 / 4 + 3 bytes);
 * returns the number of bytes written.  State carries across calls. */
size_t	b64_decode_step(struct b64 *, const char *in, size_t len,
	    unsigned char *out);

#endif
