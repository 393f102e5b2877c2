/* ident.h: the one comparison of company and service names: whether two
 * spellings name the same thing once blanks, character width, case and
 * the company-type mark (株式会社 / ㈱ / (株)) are set aside. */
#ifndef IDENT_H
#define IDENT_H

/*
 * The key a name compares by: NFKC (full-width letters and digits, ㈱ and
 * half-width kana to their usual form), every blank (ASCII, U+3000, tabs,
 * newlines) removed, 株式会社 and (株) (and 有限会社/(有), 合同会社/(同))
 * removed wherever they stand, Latin letters case-folded.  A new string;
 * "" for NULL or invalid UTF-8.
 */
char	*ident_key(const char *name);
/* Whether a and b have the same key (and it is not empty). */
int	 ident_same(const char *a, const char *b);

#endif
