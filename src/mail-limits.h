/* mail-limits.h: the limits the MIME walk takes, apart from mail.h so that
 * the configuration holds them without pulling in GMime. */
#ifndef MAIL_LIMITS_H
#define MAIL_LIMITS_H

#define MAIL_MAX_DEPTH	20	/* MIME nesting */
#define MAIL_MAX_PARTS	1000	/* parts */
#define MAIL_LIMITS_DEFAULT { MAIL_MAX_DEPTH, MAIL_MAX_PARTS }

struct mail_limits {
	unsigned int	max_depth;	/* MIME nesting */
	unsigned int	max_parts;	/* parts */
};

#endif
