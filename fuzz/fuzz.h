/* fuzz.h: what the libFuzzer harnesses share: their entry points, which
 * the tests rename per harness (NINTEI_FUZZ_NO_MAIN) to link them all
 * into one program, and small helpers. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#ifdef NINTEI_FUZZ_NO_MAIN
#define FUZZ_INIT(name)		fuzz_##name##_init
#define FUZZ_ONE(name)		fuzz_##name##_one
int	fuzz_mail_init(int *, char ***);
int	fuzz_template_init(int *, char ***);
int	fuzz_wire_init(int *, char ***);
int	fuzz_mail_one(const uint8_t *, size_t);
int	fuzz_zip_one(const uint8_t *, size_t);
int	fuzz_xlsx_one(const uint8_t *, size_t);
int	fuzz_csv_one(const uint8_t *, size_t);
int	fuzz_value_one(const uint8_t *, size_t);
int	fuzz_rules_one(const uint8_t *, size_t);
int	fuzz_template_one(const uint8_t *, size_t);
int	fuzz_rfc2047_one(const uint8_t *, size_t);
int	fuzz_wire_one(const uint8_t *, size_t);
#else
/* A harness that needs to load something first defines FUZZ_INIT too. */
#define FUZZ_INIT(name)		LLVMFuzzerInitialize
#define FUZZ_ONE(name)		LLVMFuzzerTestOneInput
int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
#endif

/* A property the code must keep; breaking it is a crash libFuzzer keeps. */
#define FUZZ_ASSERT(e)							\
	do {								\
		if (!(e))						\
			fuzz_fail(__FILE__, __LINE__, #e);		\
	} while (0)

void	fuzz_fail(const char *, int, const char *)
	    __attribute__((noreturn));

/* The types fuzz_value picks from by its first byte: each kind of the
 * item files once, text with and without a limit. */
extern const char *const fuzz_value_specs[];

/* The repository's top folder: $NINTEI_TOP, else where it was built. */
const char *fuzz_top(void);

/* zipread's choice of entries to read: every one. */
int	fuzz_want_all(const char *, void *);

/* Hands fn the form attachments of a message and the members of the ZIPs
 * among them (name, bytes): how the seeds for the readers are found. */
void	fuzz_unpack(const char *, size_t, void (*fn)(const char *,
	    const void *, size_t, void *), void *);

struct conf;
struct forms;
struct mail;

/* The repository's configuration (nintei.conf) and rules, loaded once by
 * fuzz_intake_init for the harnesses of the intake. */
extern struct conf *fuzz_conf;
void	fuzz_intake_init(void);
/* The parent's part on what a parsing child sent: screening, the files
 * for the acknowledgement, the forms checked against the rules and each
 * problem worded for the letter. */
void	fuzz_intake_parent(const struct mail *, const struct forms *);

/* The parts of an XLSX file as fuzz_xlsx takes them unpacked ("name\n"
 * then its bytes, parts separated by NUL); NULL if it is not a ZIP. */
GByteArray *fuzz_xlsx_parts(const void *, size_t);

#endif
