/* mail-limits.h: the limits the MIME walk takes, apart from mail.h so that
 * the configuration holds them without pulling in GMime. */
#ifndef MAIL_LIMITS_H
#define MAIL_LIMITS_H

struct mail_limits {
	unsigned int	max_depth;	/* MIME nesting, default 20 */
	unsigned int	max_parts;	/* parts, default 1000 */
};

#endif
