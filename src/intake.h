/* intake.h: the intake of one message (intake.c) and the stages it runs:
 * the parsing child (sandbox.c), the screening of automatic mail
 * (screen.c) and of forged senders (spf.c), passwords (password.c) and the
 * review of the forms (review.c).  A parsed mail is only pointed to here:
 * mail.h, and GMime, stay with the files that read one. */
#ifndef INTAKE_H
#define INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

struct answer;
struct caserow;
struct check;
struct conf;
struct form_limits;
struct forms;
struct mail;
struct msgrow;
struct nintei;
struct scheme;
struct tvars;

/* sandbox.c */
struct sandbox_limits {
	unsigned int	 cpu_seconds;
	unsigned int	 wall_seconds;
	uint64_t	 memory;	/* address space */
	unsigned int	 result_max;	/* bytes the child may send */
	int		 seccomp;
};

#define SANDBOX_EXIT_SETUP	70	/* the child could not start */
#define SANDBOX_EXIT_FAILED	71	/* the work failed (memory) */

/* What a child does: fn(ctx, fd of the message, args, len, out). */
typedef int	(*sandbox_fn)(void *ctx, int fd, const void *args,
		    size_t len, GByteArray *out);
/* What makes the children's context (ctx) of the bytes sent at start;
 * NULL if they are not right. */
typedef void	*(*sandbox_setup_fn)(const void *, size_t);
/* Loads the converters of a charset name, in the zygote. */
typedef void	 (*sandbox_load_fn)(const char *);
struct sandbox_job;

int		 sandbox_start(const struct sandbox_limits *, GBytes *setup,
		    char **cause);
int		 sandbox_zygote_main(sandbox_setup_fn, sandbox_fn,
		    sandbox_load_fn);
int		 sandbox_alive(void);
void		 sandbox_stop(void);
struct sandbox_job *sandbox_submit(int fd, GPtrArray *charsets,
		    const void *args, size_t len, char **why);
int		 sandbox_collect(struct sandbox_job *, GBytes **result,
		    char **why);
void		 sandbox_cancel(struct sandbox_job *);
int		 sandbox_run(int fd, const void *args, size_t len,
		    GBytes **result, char **why);

/* screen.c */
char		*screen_automatic(const struct conf *, const struct mail *);

/* spf.c */
struct spf_result {
	char		*result;	/* pass fail softfail neutral none
					   temperror permerror */
	char		*ip;
	char		*sender;
	char		*detail;
};

int		 spf_check(const struct conf *, const struct mail *,
		    struct spf_result *, char **cause);
void		 spf_result_clear(struct spf_result *);

/* password.c */
GPtrArray	*password_candidates(const char *text);
void		 password_forget(GPtrArray *);

/* parse.c: the child's work (in nintei-parse) and its settings */
GBytes		*parse_settings(const struct conf *);
void		*parse_setup(const void *, size_t);
void		 parse_charset(const char *);
int		 parse_child(void *ctx, int fd, const void *args, size_t len,
		    GByteArray *out);
void		 parse_limits(const struct conf *, struct form_limits *);
struct forms	*parse_forms(struct nintei *, const struct mail *,
		    const char *password);

/* review.c */
/* The total a fee request bills a case, tax included. */
int64_t		 review_fee_total(const struct conf *, const struct caserow *,
		    const struct scheme *);
struct forms	*review_read_bytes(struct nintei *, const char *data,
		    size_t len, char **cause);
void		 review_files(const struct forms *, struct tvars *);
int		 review_record_files(struct nintei *, int64_t msgrow,
		    const struct forms *, char **cause);
struct check	*review_check(struct nintei *, struct caserow *,
		    const struct forms *, struct check *, int64_t msgrow,
		    char **cause);
void		 review_issuer(struct nintei *, struct tvars *);
char		*review_due(struct nintei *);
int		 review_answer(struct nintei *, struct caserow *,
		    const struct forms *, const struct check *, int64_t msgrow,
		    const struct answer *, char **cause);

/* intake.c */
enum intake_result {
	INTAKE_RECORDED,	/* a new message, its outcome committed */
	INTAKE_DUPLICATE,	/* recorded before */
	INTAKE_TEMPFAIL		/* not recorded: try again later */
};

enum intake_result intake_file(struct nintei *, const char *file,
		    const char *origin, char **cause);
enum intake_result intake_fd(struct nintei *, int fd, const char *origin,
		    char **cause);
struct mail	*intake_read(struct nintei *, const struct msgrow *,
		    char **cause);
enum intake_result intake_release(struct nintei *, const struct msgrow *,
		    char **cause);
int		 intake_start(struct nintei *, char **cause);
int		 intake_batch_begin(struct nintei *, char **cause);
enum intake_result intake_settled(struct nintei *, const char *path,
		    const char *sha, uint64_t size, const char *origin,
		    struct sandbox_job *ahead, char **cause);
struct sandbox_job *intake_parse_ahead(struct nintei *, const char *path,
		    uint64_t size);
void		 intake_parse_drop(struct sandbox_job *);
int		 intake_batch_commit(struct nintei *, char **cause);

#endif
