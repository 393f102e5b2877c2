/* report.h: the dashboard (report.c): one static HTML page of the cases,
 * the letters, the mail and the certifications. */
#ifndef REPORT_H
#define REPORT_H

struct nintei;

int		 report_html(struct nintei *, char **page, char **cause);
int		 report_write(struct nintei *, const char *path, char **cause);

#endif
