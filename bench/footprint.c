/* footprint.c — load time and resident memory of libsession.so, in a fresh process per run.
 *
 *   footprint load   LIBDIR          ns from dlopen(libsession.so) to session_abi_major() returning,
 *                                     then to the first real call (session_identity_generate) returning;
 *                                     and the process's CPU time (all threads) up to the first call, which
 *                                     a busy machine inflates far less than the wall time
 *   footprint sodium LIBDIR          baseline: dlopen(libsodium.so) + sodium_init() + one call
 *   footprint rss    LIBDIR N [SEED] RSS before loading, after loading, with 1 client and with N
 *                                     clients (started against SEED, a LocalNet, when given)
 *
 * The library is loaded with dlopen so the load itself is timed; output lines are "key value".
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long rss_kb(void) {
    FILE* f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kb;
}

static void* open_lib(const char* dir, const char* name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "footprint: %s\n", dlerror()); exit(1); }
    return h;
}

static void* sym(void* h, const char* name) {
    void* p = dlsym(h, name);
    if (!p) { fprintf(stderr, "footprint: missing %s\n", name); exit(1); }
    return p;
}

typedef uint32_t (*abi_major_fn)(void);
typedef session_status (*identity_generate_fn)(session_identity**);
typedef void (*identity_free_fn)(session_identity*);
typedef session_status (*options_new_fn)(session_options**);
typedef void (*options_free_fn)(session_options*);
typedef session_status (*options_str_fn)(session_options*, const char*);
typedef session_status (*options_i64_fn)(session_options*, const char*, int64_t);
typedef session_status (*client_new_fn)(const session_options*, session_client**);
typedef session_status (*client_fn)(session_client*);
typedef void (*client_free_fn)(session_client*);
typedef session_status (*poll_fn)(session_client*, const session_event**, uint32_t, uint32_t*);

static int do_load(const char* dir) {
    double c0 = cpu_ns();
    double t0 = now_ns();
    void* h = open_lib(dir, "libsession.so");
    abi_major_fn major = (abi_major_fn)sym(h, "session_abi_major");
    if (major() != SESSION_ABI_MAJOR) return 1;
    double t1 = now_ns();
    double c1 = cpu_ns();
    identity_generate_fn gen = (identity_generate_fn)sym(h, "session_identity_generate");
    session_identity* id = NULL;
    if (gen(&id) != SESSION_OK) return 1;
    double t2 = now_ns();
    ((identity_free_fn)sym(h, "session_identity_free"))(id);
    printf("load_first_call_ns %.0f\nload_first_identity_ns %.0f\nload_first_call_cpu_ns %.0f\n", t1 - t0, t2 - t0, c1 - c0);
    return 0;   /* never dlclose libsession.so */
}

static int do_sodium(const char* dir) {
    double t0 = now_ns();
    void* h = open_lib(dir, "libsodium.so");
    int (*init)(void) = (int (*)(void))sym(h, "sodium_init");
    if (init() < 0) return 1;
    double t1 = now_ns();
    unsigned char pk[32], sk[64];
    int (*keypair)(unsigned char*, unsigned char*) = (int (*)(unsigned char*, unsigned char*))sym(h, "crypto_sign_ed25519_keypair");
    keypair(pk, sk);
    double t2 = now_ns();
    printf("sodium_first_call_ns %.0f\nsodium_first_keypair_ns %.0f\n", t1 - t0, t2 - t0);
    return 0;
}

static int do_rss(const char* dir, int n, const char* seed) {
    long before = rss_kb();
    void* h = open_lib(dir, "libsession.so");
    ((abi_major_fn)sym(h, "session_abi_major"))();
    long loaded = rss_kb();
    options_new_fn opt_new = (options_new_fn)sym(h, "session_options_new");
    options_free_fn opt_free = (options_free_fn)sym(h, "session_options_free");
    options_str_fn set_dir = (options_str_fn)sym(h, "session_options_set_data_dir");
    options_str_fn add_seed = (options_str_fn)sym(h, "session_options_add_seed_url");
    options_i64_fn set_i64 = (options_i64_fn)sym(h, "session_options_set_i64");
    client_new_fn cl_new = (client_new_fn)sym(h, "session_client_new");
    client_fn cl_start = (client_fn)sym(h, "session_client_start");
    client_free_fn cl_free = (client_free_fn)sym(h, "session_client_free");
    poll_fn poll = (poll_fn)sym(h, "session_poll");

    char root[] = "/tmp/session-footprint-XXXXXX";
    if (!mkdtemp(root)) { perror("mkdtemp"); return 1; }
    session_client** clients = calloc((size_t)n, sizeof *clients);
    long one = 0;
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/c%d", root, i);
        session_options* o = NULL;
        if (opt_new(&o) != SESSION_OK || set_dir(o, path) != SESSION_OK) return 1;
        if (seed) { add_seed(o, seed); set_i64(o, "tls.accept_self_signed", 1); }
        if (cl_new(o, &clients[i]) != SESSION_OK) {
            fprintf(stderr, "footprint: client_new failed: %s\n", ((const char* (*)(void))sym(h, "session_last_error_message"))());
            return 1;
        }
        opt_free(o);
        if (seed && cl_start(clients[i]) != SESSION_OK) { fprintf(stderr, "footprint: client_start failed\n"); return 1; }
        if (i == 0) {
            if (seed) sleep(2);   /* let it bootstrap and go idle */
            one = rss_kb();
        }
    }
    if (seed) sleep(3);
    /* Drain events so queues are not counted as growth. */
    const session_event* ev[64];
    uint32_t got;
    for (int i = 0; i < n; i++) while (poll(clients[i], ev, 64, &got) == SESSION_OK && got) {}
    long all = rss_kb();
    printf("rss_before_load_kb %ld\nrss_loaded_kb %ld\nrss_one_client_kb %ld\nrss_n_clients_kb %ld\nclients %d\nstarted %d\n",
           before, loaded, one, all, n, seed ? 1 : 0);
    fflush(stdout);
    for (int i = 0; i < n; i++) cl_free(clients[i]);
    free(clients);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
    if (argc >= 3 && !strcmp(argv[1], "load")) return do_load(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "sodium")) return do_sodium(argv[2]);
    if (argc >= 4 && !strcmp(argv[1], "rss")) return do_rss(argv[2], atoi(argv[3]), argc >= 5 ? argv[4] : NULL);
    fprintf(stderr, "usage: footprint load|sodium LIBDIR | footprint rss LIBDIR N [SEED_URL]\n");
    return 2;
}
