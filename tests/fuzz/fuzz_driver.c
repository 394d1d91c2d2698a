/*
 * fuzz_driver.c - a main for the harnesses without libFuzzer, so any compiler
 * can run corpus and crash files as regression tests: each argument is a file
 * (run once) or a directory (each regular file in it, in name order).
 */
#include "fuzz.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

/* The input gets a buffer of exactly its size, as under libFuzzer, so ASan sees overreads. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long len;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        perror(path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    data = malloc(len > 0 ? (size_t)len : 1);
    if (data == NULL || fread(data, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "%s: read failed\n", path);
        free(data);
        fclose(f);
        return -1;
    }
    fclose(f);
    fprintf(stderr, "running %s (%ld bytes)\n", path, len);
    LLVMFuzzerTestOneInput(data, (size_t)len);
    free(data);
    return 0;
}

static int not_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Runs path; returns the number of inputs run, or -1. */
static int run_path(const char *path)
{
    struct dirent **names;
    struct stat st;
    int n, i, ran = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path) == 0 ? 1 : -1;
    if ((n = scandir(path, &names, not_hidden, alphasort)) < 0) {
        perror(path);
        return -1;
    }
    for (i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
        if (ran >= 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode))
            ran = run_file(file) == 0 ? ran + 1 : -1;
        free(names[i]);
    }
    free(names);
    return ran;
}

int main(int argc, char **argv)
{
    int i, n, total = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if ((n = run_path(argv[i])) < 0)
            return 1;
        total += n;
    }
    fprintf(stderr, "%d inputs ran\n", total);
    return 0;
}
