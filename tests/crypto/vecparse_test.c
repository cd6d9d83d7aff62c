/* vecparse_test.c - the vector-file parser (tools/vectors/parse.c) on good and bad input:
 * every malformed shape must be refused with a message naming the line. */
#include <stdlib.h>

#include "tests/lib/tap.h"
#include "tools/vectors/parse.h"

/* Parses a constant; returns the vec_parse result and leaves the message in err. */
static int parse(const char *src, struct vec_file *f, char *err, size_t errlen)
{
    size_t n = strlen(src);
    char *t = malloc(n + 1);
    memcpy(t, src, n + 1);
    err[0] = '\0';
    return vec_parse(f, "mem", t, n, err, errlen);
}

static void expect_error(const char *src, const char *want_in_msg, const char *name)
{
    struct vec_file f;
    char err[200];
    int rc = parse(src, &f, err, sizeof err);
    if (!tap_ok(rc == -1 && strstr(err, want_in_msg) != NULL, "refused: %s", name))
        tap_diag("rc %d, message \"%s\", wanted \"%s\"", rc, err, want_in_msg);
    if (rc == 0)
        vec_file_free(&f);
}

int main(void)
{
    struct vec_file f;
    char err[200];
    const char *good = "# header one\n# header two\n\ntcId = 3\nalgorithm = X\nmsg =\nmd = 00ff\n\n"
                       "# a comment between cases\ntcId = 7\r\nmsg = AbCd\r\n\n\n";
    tap_eq(parse(good, &f, err, sizeof err), 0, "a well-formed file parses");
    tap_eq(f.ncases, 2, "two cases");
    tap_ok(strcmp(f.header, "# header one\n# header two\n") == 0, "header is the leading # lines");
    tap_eq(f.cases[0].tcid, 3, "tcId of case 1");
    tap_eq(f.cases[1].tcid, 7, "tcId of case 2 (CRLF line)");
    tap_ok(vec_get(&f.cases[0], "msg") && strcmp(vec_get(&f.cases[0], "msg"), "") == 0, "empty value is \"\"");
    tap_ok(vec_get(&f.cases[0], "nope") == NULL, "missing field is NULL");
    tap_ok(strcmp(vec_get(&f.cases[1], "msg"), "AbCd") == 0, "CR stripped from value");
    uint8_t *b;
    size_t bl;
    tap_ok(vec_hex(vec_get(&f.cases[1], "msg"), &b, &bl) == 0 && bl == 2 && b[0] == 0xAB && b[1] == 0xCD,
           "mixed-case hex decodes");
    free(b);
    tap_ok(vec_hex("", &b, &bl) == 0 && bl == 0 && b != NULL, "empty hex gives a zero-length buffer");
    free(b);
    tap_eq(vec_hex("abc", &b, &bl), -1, "odd-length hex refused");
    tap_eq(vec_hex("zz", &b, &bl), -1, "non-hex digit refused");
    tap_eq(vec_hex("0g", &b, &bl), -1, "bad second digit refused");
    tap_eq(vec_hex(NULL, &b, &bl), -1, "NULL hex refused");
    tap_eq(vec_num(&f.cases[0], "tcId", -5), 3, "vec_num reads a number");
    tap_eq(vec_num(&f.cases[0], "algorithm", -5), -5, "vec_num of a non-number gives the default");
    tap_eq(vec_num(&f.cases[0], "absent", -5), -5, "vec_num of a missing field gives the default");
    vec_file_free(&f);

    expect_error("# h\nkey=value\n", "line 2", "no spaces around =");
    expect_error("# h\nkey  = v\n", "line 2", "two spaces before =");
    expect_error("# h\nkey =v\n", "line 2", "no space after =");
    expect_error("# h\n = v\n", "line 2", "empty key");
    expect_error("# h\nke-y = v\n", "line 2", "bad key character");
    expect_error("# h\na = 1\na = 2\n", "repeated", "repeated field in one case");
    expect_error("# h\n", "no cases", "header only");
    expect_error("", "no cases", "empty file");
    expect_error("# h\ntcId = x1\n", "tcId", "non-numeric tcId");
    expect_error("# h\ntcId = -1\n", "tcId", "negative tcId");
    expect_error("# h\ntcId = 1 \n", "tcId", "tcId with trailing space");
    expect_error("# h\na = 1\ngarbage\n", "line 3", "garbage line inside a case");
    {
        char big[64 * 16 + 64] = "# h\n";
        for (int i = 0; i <= VEC_MAX_FIELDS; i++)
            sprintf(big + strlen(big), "k%d = 1\n", i);
        expect_error(big, "more than", "65 fields in one case");
    }
    {
        char t[] = "# h\na = 1\0\n";
        char *c = malloc(sizeof t);
        memcpy(c, t, sizeof t);
        tap_eq(vec_parse(&f, "mem", c, sizeof t - 1, err, sizeof err), -1, "NUL byte in the file refused");
    }
    /* A case may keep going after a comment; a blank line starts the next. */
    tap_eq(parse("a = 1\n\nb = 2\n# c\nc = 3\n", &f, err, sizeof err), 0, "file without a header parses");
    tap_eq(f.ncases, 2, "comment inside a case does not split it");
    tap_eq(f.cases[1].nfields, 2, "fields on both sides of the comment belong to one case");
    vec_file_free(&f);

    tap_ok(vec_sniff("# x\n\nk = v\n", 11), "sniff: header then a field");
    tap_ok(vec_sniff("k =\n", 4), "sniff: empty-valued first field");
    tap_ok(!vec_sniff("# Title\n\nSome prose here.\n", 25), "sniff: markdown prose is not a vector file");
    tap_ok(!vec_sniff("# c\n-- asm\nmov r0, 1\n", 21), "sniff: eBPF .data file is not a vector file");
    tap_ok(!vec_sniff("# only comments\n", 16), "sniff: comments only");
    tap_ok(!vec_sniff("", 0), "sniff: empty");
    tap_ok(!vec_sniff("k = v", 2), "sniff: respects the length");
    return tap_done();
}
