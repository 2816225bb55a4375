/* bench.c — times each operation through libsession.so and the same primitive calls made directly
 * on libsodium (the floor for that operation), in one process, and prints the ratio.
 *
 *   bench [--iterations N] [--repeats R] [--wordlist FILE] [--seed-url URL] [--events N] [--smoke]
 *
 * Every figure is the median over R repeats of N calls; the ABI call and its baseline run
 * alternately within each repeat, so both see the same machine load. Before timing, the harness
 * checks that the baseline computes what the library computes (the same signature, a ciphertext
 * one side makes opens on the other, the same keys from a phrase): those checks are what the smoke
 * test counts ("bench-smoke: N passed, N failed"). Lines starting with "RESULT\t" are read by
 * bench/report.py; everything else is for people.
 */
#define _GNU_SOURCE   /* RUSAGE_THREAD */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "session.h"
#include "sodium_min.h"

/* ------------------------------------------------------------------ checks and timing helpers */

static int g_passed, g_failed;

static void check(int ok, const char* what) {
    if (ok) g_passed++;
    else { g_failed++; fprintf(stderr, "bench: CHECK FAILED: %s (%s)\n", what, session_last_error_message()); }
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static double median(double* v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The p-th percentile (0..100) of v, linear between closest ranks; sorts v. */
static double percentile(double* v, int n, double p) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double k = (n - 1) * p / 100;
    int lo = (int)k, hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (v[hi] - v[lo]) * (k - lo);
}

typedef void (*op_fn)(void* ctx);

static double ns_per_op(op_fn f, void* ctx, int iters) {
    double t0 = now_ns();
    for (int i = 0; i < iters; i++) f(ctx);
    return (now_ns() - t0) / iters;
}

enum { MAX_REPEATS = 64 };

/* Times ours and base alternately; prints one line for people and one RESULT line. */
static void compare(const char* key, const char* label, op_fn ours, op_fn base, void* ctx,
                    const char* base_label, int iters, int repeats, const char* target) {
    double a[MAX_REPEATS], b[MAX_REPEATS];
    if (repeats > MAX_REPEATS) repeats = MAX_REPEATS;
    ns_per_op(ours, ctx, iters / 10 + 1);   /* warm-up: caches, lazy initialisation */
    ns_per_op(base, ctx, iters / 10 + 1);
    for (int r = 0; r < repeats; r++) {
        a[r] = ns_per_op(ours, ctx, iters);
        b[r] = ns_per_op(base, ctx, iters);
    }
    /* The ratio is the median of the per-repeat ratios: each pair ran back to back, so a burst of
     * load from elsewhere hits both sides of a pair rather than one side of the medians. */
    double q[MAX_REPEATS];
    for (int r = 0; r < repeats; r++) q[r] = a[r] / b[r];
    double mq = median(q, repeats), q1 = percentile(q, repeats, 25), q3 = percentile(q, repeats, 75);
    double ma = median(a, repeats), mb = median(b, repeats);
    printf("%-34s %12.0f ns   baseline %12.0f ns   ratio %6.2fx (IQR %.2f-%.2f, of medians %.2fx)   (%s)\n",
           label, ma, mb, mq, q1, q3, ma / mb, base_label);
    printf("RESULT\t%s\t%s\t%.1f\tns\t%s\t%.1f\t%s\t%.4f\t%.4f\t%.4f\n", key, label, ma, base_label, mb, target ? target : "", mq, q1, q3);
    fflush(stdout);
}

static void hex(const uint8_t* in, size_t n, char* out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) { out[2 * i] = digits[in[i] >> 4]; out[2 * i + 1] = digits[in[i] & 15]; }
    out[2 * n] = '\0';
}

/* ------------------------------------------------------------------ keys shared by the baselines */

typedef struct {
    session_identity* id;
    uint8_t ed_pk[32], ed_sk[64], x_pk[32], x_sk[32];
    char sid[67];
} keys;

static void make_keys(keys* k, uint8_t fill) {
    uint8_t seed[32];
    for (int i = 0; i < 32; i++) seed[i] = (uint8_t)(fill + i);
    check(session_identity_from_seed(seed, 32, &k->id) == SESSION_OK, "identity from 32-byte seed");
    crypto_sign_ed25519_seed_keypair(k->ed_pk, k->ed_sk, seed);
    crypto_sign_ed25519_sk_to_curve25519(k->x_sk, k->ed_sk);
    crypto_sign_ed25519_pk_to_curve25519(k->x_pk, k->ed_pk);
    k->sid[0] = '0'; k->sid[1] = '5';
    hex(k->x_pk, 32, k->sid + 2);
    char abi_sid[67];
    uint8_t abi_pk[32];
    check(session_identity_session_id(k->id, abi_sid, sizeof abi_sid, NULL) == SESSION_OK && strcmp(abi_sid, k->sid) == 0,
          "Session ID derived in C equals the library's");
    check(session_identity_ed25519_public_key(k->id, abi_pk, 32) == SESSION_OK && memcmp(abi_pk, k->ed_pk, 32) == 0,
          "Ed25519 key derived in C equals the library's");
}

/* ------------------------------------------------------------------ 1:1 seal and open */

typedef struct {
    keys *sender, *recipient;
    uint8_t* msg; size_t len;
    uint8_t* plain;       /* M ‖ A ‖ sig scratch, len + 96 */
    uint8_t* sealed;      /* baseline output, len + 144 */
    uint8_t* abi_sealed; size_t abi_sealed_len;   /* a library ciphertext to open */
    uint8_t* opened;
    uint8_t last_sender[32], last_sender_x[32];
} box_ctx;

/* The session protocol (SessionBox.Seal): sig = Ed25519(M ‖ A ‖ Y); C = seal(M ‖ A ‖ sig, Y). */
static void base_seal(void* p) {
    box_ctx* c = p;
    memcpy(c->plain, c->msg, c->len);
    memcpy(c->plain + c->len, c->sender->ed_pk, 32);
    memcpy(c->plain + c->len + 32, c->recipient->x_pk, 32);
    uint8_t sig[64];
    crypto_sign_ed25519_detached(sig, NULL, c->plain, c->len + 64, c->sender->ed_sk);
    memcpy(c->plain + c->len + 32, sig, 64);
    crypto_box_seal(c->sealed, c->plain, c->len + 96, c->recipient->x_pk);
}

static void abi_seal(void* p) {
    box_ctx* c = p;
    uint8_t* out = NULL;
    size_t out_len = 0;
    if (session_seal(c->sender->id, c->recipient->sid, c->msg, c->len, &out, &out_len) != SESSION_OK) abort();
    session_free(out);
}

/* SessionBox.Open: P = seal_open(C); verify sig over M ‖ A ‖ Y; sender X = ed_to_x(A). */
static int base_open_into(box_ctx* c, const uint8_t* ct, size_t ct_len, uint8_t* sender_x) {
    size_t m = ct_len - 144;
    if (crypto_box_seal_open(c->opened, ct, ct_len, c->recipient->x_pk, c->recipient->x_sk) != 0) return 0;
    uint8_t sig[64], a[32];
    memcpy(a, c->opened + m, 32);
    memcpy(sig, c->opened + m + 32, 64);
    memcpy(c->opened + m + 32, c->recipient->x_pk, 32);
    if (crypto_sign_ed25519_verify_detached(sig, c->opened, m + 64, a) != 0) return 0;
    return crypto_sign_ed25519_pk_to_curve25519(sender_x, a) == 0;
}

/* The floor of session_open: seal_open + verify, and ed->x only for a sender not seen last (the
 * library remembers the last sender's conversion; bench_open_batch shows what that saves). */
static void base_open(void* p) {
    box_ctx* c = p;
    size_t m = c->abi_sealed_len - 144;
    uint8_t sig[64];
    if (crypto_box_seal_open(c->opened, c->abi_sealed, c->abi_sealed_len, c->recipient->x_pk, c->recipient->x_sk) != 0) abort();
    memcpy(sig, c->opened + m + 32, 64);
    memcpy(c->opened + m + 32, c->recipient->x_pk, 32);
    if (crypto_sign_ed25519_verify_detached(sig, c->opened, m + 64, c->opened + m) != 0) abort();
    if (memcmp(c->opened + m, c->last_sender, 32) != 0) {
        if (crypto_sign_ed25519_pk_to_curve25519(c->last_sender_x, c->opened + m) != 0) abort();
        memcpy(c->last_sender, c->opened + m, 32);
    }
}

static void abi_open(void* p) {
    box_ctx* c = p;
    uint8_t* out = NULL;
    size_t out_len = 0;
    char sender[67];
    if (session_open(c->recipient->id, c->abi_sealed, c->abi_sealed_len, &out, &out_len, sender, sizeof sender) != SESSION_OK) abort();
    session_free_secret(out, out_len);
}

/* ------------------------------------------------------------------ 1:1 open of a batch from one sender */

enum { BATCH = 100 };

typedef struct {
    keys *sender, *recipient;
    uint8_t* sealed[BATCH]; size_t sealed_len;   /* BATCH messages from one sender, made by session_seal */
    uint8_t opened[BATCH + 4096];
} batch_ctx;

static void abi_open_batch(void* p) {
    batch_ctx* c = p;
    for (int i = 0; i < BATCH; i++) {
        uint8_t* out = NULL;
        size_t out_len = 0;
        char sender[67];
        if (session_open(c->recipient->id, c->sealed[i], c->sealed_len, &out, &out_len, sender, sizeof sender) != SESSION_OK) abort();
        session_free_secret(out, out_len);
    }
}

/* One message: seal_open with the given X25519 pair, verify M ‖ A ‖ Y; A goes to *a. */
static void open_verify(batch_ctx* c, const uint8_t* ct, const uint8_t* x_pk, const uint8_t* x_sk, uint8_t* a) {
    size_t m = c->sealed_len - 144;
    uint8_t sig[64];
    if (crypto_box_seal_open(c->opened, ct, c->sealed_len, x_pk, x_sk) != 0) abort();
    memcpy(a, c->opened + m, 32);
    memcpy(sig, c->opened + m + 32, 64);
    memcpy(c->opened + m + 32, x_pk, 32);
    if (crypto_sign_ed25519_verify_detached(sig, c->opened, m + 64, a) != 0) abort();
}

/* Keys cached: the recipient's X25519 pair once, the sender's Ed25519 -> X25519 once per sender. */
static void base_open_batch_cached(void* p) {
    batch_ctx* c = p;
    uint8_t a[32], last_a[32], sender_x[32];
    int have = 0;
    for (int i = 0; i < BATCH; i++) {
        open_verify(c, c->sealed[i], c->recipient->x_pk, c->recipient->x_sk, a);
        if (!have || memcmp(a, last_a, 32) != 0) {
            if (crypto_sign_ed25519_pk_to_curve25519(sender_x, a) != 0) abort();
            memcpy(last_a, a, 32);
            have = 1;
        }
    }
}

/* Re-derived per message, as the official C API's decrypt does: the recipient's X25519 pair from its
 * Ed25519 secret key, then open + verify, then the sender's X25519 key (its Session ID). */
static void base_open_batch_rederived(void* p) {
    batch_ctx* c = p;
    uint8_t a[32], sender_x[32], x_pk[32], x_sk[32];
    for (int i = 0; i < BATCH; i++) {
        crypto_sign_ed25519_sk_to_curve25519(x_sk, c->recipient->ed_sk);
        if (crypto_sign_ed25519_pk_to_curve25519(x_pk, c->recipient->ed_sk + 32) != 0) abort();
        open_verify(c, c->sealed[i], x_pk, x_sk, a);
        if (crypto_sign_ed25519_pk_to_curve25519(sender_x, a) != 0) abort();
    }
}

static void bench_open_batch(keys* alice, keys* bob, int iters, int repeats) {
    batch_ctx c = { .sender = alice, .recipient = bob };
    uint8_t msg[100];
    for (size_t i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)i;
    int ok = 1;
    for (int i = 0; i < BATCH; i++) {
        msg[0] = (uint8_t)i;
        ok &= session_seal(alice->id, bob->sid, msg, sizeof msg, &c.sealed[i], &c.sealed_len) == SESSION_OK;
    }
    check(ok && c.sealed_len == sizeof msg + 144, "100 messages sealed by session_seal");
    if (!ok) return;
    base_open_batch_cached(&c);
    base_open_batch_rederived(&c);
    check(c.opened[0] == BATCH - 1, "the batch floors open what session_seal made");
    int n = iters / 20 > 0 ? iters / 20 : 1;   /* each call is 100 opens */
    compare("open_batch100_cached", "open+verify 100 msgs from one sender (session_open x100)", abi_open_batch, base_open_batch_cached, &c,
            "seal_open + verify x100, keys cached (recipient X25519 once, sender ed->x once)", n, repeats, "<=1.2");
    compare("open_batch100_vs_rederived", "open+verify 100 msgs, ours (cached) vs re-derived per message", abi_open_batch, base_open_batch_rederived, &c,
            "sk_to_curve25519 + pk_to_curve25519 + seal_open + verify + sender pk_to_curve25519, x100", n, repeats, "");
    for (int i = 0; i < BATCH; i++) session_free(c.sealed[i]);
}

static void bench_box(keys* alice, keys* bob, size_t len, const char* size_name, int iters, int repeats) {
    box_ctx c = { .sender = alice, .recipient = bob, .len = len };
    c.msg = malloc(len); c.plain = malloc(len + 96); c.sealed = malloc(len + 144); c.opened = malloc(len + 96);
    for (size_t i = 0; i < len; i++) c.msg[i] = (uint8_t)(i * 7);

    /* The baseline does what the library does: each side opens what the other sealed. */
    check(session_seal(alice->id, bob->sid, c.msg, len, &c.abi_sealed, &c.abi_sealed_len) == SESSION_OK
          && c.abi_sealed_len == len + 144, "session_seal output is |M| + 144 bytes");
    uint8_t x[32];
    check(base_open_into(&c, c.abi_sealed, c.abi_sealed_len, x) && memcmp(c.opened, c.msg, len) == 0
          && memcmp(x, alice->x_pk, 32) == 0, "libsodium opens and verifies what session_seal made");
    base_seal(&c);
    uint8_t* out = NULL; size_t out_len = 0; char sender[67] = "";
    check(session_open(bob->id, c.sealed, len + 144, &out, &out_len, sender, sizeof sender) == SESSION_OK
          && out_len == len && memcmp(out, c.msg, len) == 0 && strcmp(sender, alice->sid) == 0,
          "session_open opens what the libsodium baseline sealed");
    session_free_secret(out, out_len);

    char key[64], label[96];
    snprintf(key, sizeof key, "seal_%s", size_name);
    snprintf(label, sizeof label, "seal+sign 1:1, %s (session_seal)", size_name);
    compare(key, label, abi_seal, base_seal, &c, "crypto_sign_detached + crypto_box_seal", iters, repeats, "<=1.2");
    snprintf(key, sizeof key, "open_%s", size_name);
    snprintf(label, sizeof label, "open+verify 1:1, %s (session_open)", size_name);
    compare(key, label, abi_open, base_open, &c, "crypto_box_seal_open + sign_verify (+ pk_to_curve25519 per new sender)", iters, repeats, "<=1.2");

    session_free(c.abi_sealed);
    free(c.msg); free(c.plain); free(c.sealed); free(c.opened);
}

/* ------------------------------------------------------------------ blind-15 signing */

typedef struct {
    keys* k;
    char server_hex[65];
    uint8_t server_pk[32];
    uint8_t ka[32], kA[32];      /* the blinded key pair, computed once (the library caches it too) */
    uint8_t msg[64];
    uint8_t sig[64];
} blind_ctx;

/* Blinding.Sign15 with the libsession nonce: r = H(H(sk)[32..] ‖ kA ‖ M); R = rB; S = r + H(R‖kA‖M)·ka. */
static void base_blind15(void* p) {
    blind_ctx* c = p;
    uint8_t hash[64], hrh[32], r[32], h[32], hka[32];
    bench_sha512_state st;
    crypto_hash_sha512(hash, c->k->ed_sk, 64);
    memcpy(hrh, hash + 32, 32);
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, hrh, 32);
    crypto_hash_sha512_update(&st, c->kA, 32);
    crypto_hash_sha512_update(&st, c->msg, sizeof c->msg);
    crypto_hash_sha512_final(&st, hash);
    crypto_core_ed25519_scalar_reduce(r, hash);
    crypto_scalarmult_ed25519_base_noclamp(c->sig, r);
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, c->sig, 32);
    crypto_hash_sha512_update(&st, c->kA, 32);
    crypto_hash_sha512_update(&st, c->msg, sizeof c->msg);
    crypto_hash_sha512_final(&st, hash);
    crypto_core_ed25519_scalar_reduce(h, hash);
    crypto_core_ed25519_scalar_mul(hka, h, c->ka);
    crypto_core_ed25519_scalar_add(c->sig + 32, r, hka);
}

/* What the official C API does per call: derive the blinded pair first (k = H(server); ka = k·a; kA = ka·B). */
static void base_blind15_derived(void* p) {
    blind_ctx* c = p;
    uint8_t h[64], factor[32];
    crypto_generichash_blake2b(h, 64, c->server_pk, 32, NULL, 0);
    crypto_core_ed25519_scalar_reduce(factor, h);
    crypto_core_ed25519_scalar_mul(c->ka, factor, c->k->x_sk);
    crypto_scalarmult_ed25519_base_noclamp(c->kA, c->ka);
    base_blind15(p);
}

static void abi_blind15(void* p) {
    blind_ctx* c = p;
    uint8_t sig[64];
    if (session_identity_blind15_sign(c->k->id, c->server_hex, c->msg, sizeof c->msg, sig, 64) != SESSION_OK) abort();
}

static void bench_blind15(keys* k, int iters, int repeats) {
    blind_ctx c = { .k = k };
    uint8_t* server_pk = c.server_pk;
    uint8_t h[64], factor[32];
    for (int i = 0; i < 32; i++) server_pk[i] = (uint8_t)(0xa0 + i);
    hex(server_pk, 32, c.server_hex);
    for (size_t i = 0; i < sizeof c.msg; i++) c.msg[i] = (uint8_t)i;
    /* k = reduce(BLAKE2b-512(server_pk)); ka = k·a; kA = ka·B (Blinding.ComputeBlind15KeyPair). */
    crypto_generichash_blake2b(h, 64, server_pk, 32, NULL, 0);
    crypto_core_ed25519_scalar_reduce(factor, h);
    crypto_core_ed25519_scalar_mul(c.ka, factor, k->x_sk);
    crypto_scalarmult_ed25519_base_noclamp(c.kA, c.ka);

    uint8_t abi_sig[64];
    base_blind15(&c);
    check(session_identity_blind15_sign(k->id, c.server_hex, c.msg, sizeof c.msg, abi_sig, 64) == SESSION_OK
          && memcmp(abi_sig, c.sig, 64) == 0, "blind-15 signature from libsodium calls equals session_identity_blind15_sign's");
    check(crypto_sign_ed25519_verify_detached(abi_sig, c.msg, sizeof c.msg, c.kA) == 0, "blind-15 signature verifies against kA");
    compare("blind15_sign", "blind-15 sign, 64 B", abi_blind15, base_blind15, &c,
            "SHA-512 x3 + scalar ops + ed25519_base_noclamp", iters, repeats, "<=1.2");
    uint8_t derived_sig[64];
    base_blind15_derived(&c);
    memcpy(derived_sig, c.sig, 64);
    check(memcmp(derived_sig, abi_sig, 64) == 0, "blind-15 signature with the key derived per call equals the cached one");
    /* Ours (blinded pair cached per server) against the floor that derives the pair on every call. */
    compare("blind15_sign_vs_derived", "blind-15 sign, key cached (ours) vs derived per call", abi_blind15, base_blind15_derived, &c,
            "BLAKE2b + scalar mul + ed25519_base_noclamp, then the signature", iters, repeats, "");
}

/* ------------------------------------------------------------------ recovery phrase decode */

enum { WORDS = 1626 };

typedef struct {
    int16_t by_prefix[26 * 26 * 26];   /* first three letters -> index, -1 if none */
    uint32_t crc_table[256];
    char phrase[256];
    uint8_t seed[32];
    keys derived;
} phrase_ctx;

static int prefix_slot(const char* w) {
    for (int i = 0; i < 3; i++) if (w[i] < 'a' || w[i] > 'z') return -1;
    return ((w[0] - 'a') * 26 + (w[1] - 'a')) * 26 + (w[2] - 'a');
}

static int load_wordlist(phrase_ctx* c, const char* path) {
    FILE* f = fopen(path, "r");
    if (!f) return 0;
    memset(c->by_prefix, 0xff, sizeof c->by_prefix);
    char line[64];
    int n = 0;
    while (n < WORDS && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0]) continue;
        int slot = prefix_slot(line);
        if (slot >= 0) c->by_prefix[slot] = (int16_t)n;
        n++;
    }
    fclose(f);
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t v = i;
        for (int k = 0; k < 8; k++) v = (v & 1) ? 0xEDB88320u ^ (v >> 1) : v >> 1;
        c->crc_table[i] = v;
    }
    return n == WORDS;
}

/* A plain C decoder: split, lowercase, 3-letter lookup, CRC-32 checksum word, 4 bytes per 3 words. */
static int c_decode(phrase_ctx* c, const char* phrase, uint8_t seed16[16]) {
    int idx[13], count = 0;
    char prefixes[13 * 3];
    const char* s = phrase;
    while (*s) {
        while (*s && isspace((unsigned char)*s)) s++;
        if (!*s) break;
        if (count == 13) return 0;
        char w[3];
        int len = 0;
        while (s[len] && !isspace((unsigned char)s[len])) { if (len < 3) w[len] = (char)tolower((unsigned char)s[len]); len++; }
        if (len < 3) return 0;
        int slot = prefix_slot(w);
        if (slot < 0 || c->by_prefix[slot] < 0) return 0;
        idx[count] = c->by_prefix[slot];
        if (count < 12) memcpy(prefixes + 3 * count, w, 3);
        count++;
        s += len;
    }
    if (count != 13) return 0;
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < 36; i++) crc = c->crc_table[(crc ^ (uint8_t)prefixes[i]) & 0xFF] ^ (crc >> 8);
    crc ^= 0xFFFFFFFFu;
    if (idx[crc % 12] != idx[12]) return 0;
    for (int g = 0; g < 4; g++) {
        int64_t a = idx[3 * g], b = idx[3 * g + 1], d = idx[3 * g + 2], n = WORDS;
        int64_t x = a + n * ((n - a + b) % n) + n * n * ((n - b + d) % n);
        if (x % n != a || x > 0xFFFFFFFFll) return 0;
        for (int i = 0; i < 4; i++) seed16[4 * g + i] = (uint8_t)(x >> (8 * i));
    }
    return 1;
}

/* Phrase -> identity: decode, then the key derivation Identity does (seed keypair, both X25519 keys). */
static void base_phrase(void* p) {
    phrase_ctx* c = p;
    memset(c->seed, 0, 32);
    if (!c_decode(c, c->phrase, c->seed)) abort();
    crypto_sign_ed25519_seed_keypair(c->derived.ed_pk, c->derived.ed_sk, c->seed);
    crypto_sign_ed25519_sk_to_curve25519(c->derived.x_sk, c->derived.ed_sk);
    crypto_sign_ed25519_pk_to_curve25519(c->derived.x_pk, c->derived.ed_pk);
}

static void decode_only(void* p) {
    phrase_ctx* c = p;
    if (!c_decode(c, c->phrase, c->seed)) abort();
}

static void abi_phrase(void* p) {
    phrase_ctx* c = p;
    session_identity* id = NULL;
    if (session_identity_from_mnemonic(c->phrase, &id) != SESSION_OK) abort();
    session_identity_free(id);
}

static void bench_phrase(const char* wordlist, int iters, int repeats) {
    phrase_ctx* c = calloc(1, sizeof *c);
    if (!load_wordlist(c, wordlist)) {
        check(0, "word list loads (pass --wordlist src/Managed/Crypto/mnemonic-english.txt)");
        free(c);
        return;
    }
    session_identity* id = NULL;
    check(session_identity_generate(&id) == SESSION_OK, "identity generate");
    check(session_identity_mnemonic(id, c->phrase, sizeof c->phrase, NULL) == SESSION_OK, "identity mnemonic");
    char sid[67], mine[67];
    session_identity_session_id(id, sid, sizeof sid, NULL);
    session_identity_free(id);
    base_phrase(c);
    mine[0] = '0'; mine[1] = '5';
    hex(c->derived.x_pk, 32, mine + 2);
    check(strcmp(mine, sid) == 0, "the C decoder and key derivation give the library's Session ID");
    compare("phrase_decode", "recovery phrase -> identity", abi_phrase, base_phrase, c,
            "C decode (CRC32 + lookup) + seed_keypair + 2 curve25519 conversions", iters, repeats, "");
    compare("phrase_decode_only", "  of which: C decode alone", decode_only, decode_only, c,
            "(no libsodium floor: reported for scale)", iters, repeats, "");
    memset(c->phrase, 0, sizeof c->phrase);
    free(c);
}

/* ------------------------------------------------------------------ onion request crypto (3 hops) */

/* The ABI has no export that builds an onion request, so the library side is measured by the
 * managed benchmark (bench/Managed.Bench, OnionRequestBuilder.ForSnode). This is its floor: for the
 * destination and each of 3 hops, an ephemeral X25519 key pair, X25519 with the node key,
 * K = HMAC-SHA256("LOKI", S) and AES-256-GCM (the client's default cipher) over the layer, with the
 * same framing (u32le length ‖ blob ‖ routing JSON) so the sizes match. */
enum { ONION_PAYLOAD = 750, ONION_MAX = 8192 };

typedef struct {
    uint8_t node_x[4][32];      /* [0] destination, [1..3] the path, guard last */
    char node_ed_hex[4][65];
    uint8_t payload[ONION_PAYLOAD];
    uint8_t blob[ONION_MAX], frame[ONION_MAX];
    size_t blob_len;
    int gcm;
} onion_ctx;

static size_t onion_layer(onion_ctx* c, const uint8_t* plain, size_t plain_len, const uint8_t* node_x, uint8_t eph_pk[32]) {
    uint8_t eph_sk[32], shared[32], key[32], nonce[24];
    randombytes_buf(eph_sk, 32);
    crypto_scalarmult_curve25519_base(eph_pk, eph_sk);
    if (crypto_scalarmult_curve25519(shared, eph_sk, node_x) != 0) abort();
    unsigned long long clen = 0;
    if (c->gcm) {
        bench_hmac_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char*)"LOKI", 4);
        crypto_auth_hmacsha256_update(&st, shared, 32);
        crypto_auth_hmacsha256_final(&st, key);
        randombytes_buf(nonce, 12);
        memcpy(c->blob, nonce, 12);
        crypto_aead_aes256gcm_encrypt(c->blob + 12, &clen, plain, plain_len, NULL, 0, NULL, nonce, key);
        return 12 + (size_t)clen;
    }
    uint8_t in[96];
    memcpy(in, shared, 32); memcpy(in + 32, eph_pk, 32); memcpy(in + 64, node_x, 32);
    crypto_generichash_blake2b(key, 32, in, 96, NULL, 0);
    randombytes_buf(nonce, 24);
    memcpy(c->blob, nonce, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(c->blob + 24, &clen, plain, plain_len, NULL, 0, NULL, nonce, key);
    return 24 + (size_t)clen;
}

static size_t frame(uint8_t* out, const uint8_t* blob, size_t blob_len, const char* json) {
    size_t j = strlen(json);
    out[0] = (uint8_t)blob_len; out[1] = (uint8_t)(blob_len >> 8); out[2] = (uint8_t)(blob_len >> 16); out[3] = (uint8_t)(blob_len >> 24);
    memmove(out + 4, blob, blob_len);
    memcpy(out + 4 + blob_len, json, j);
    return 4 + blob_len + j;
}

static void base_onion(void* p) {
    onion_ctx* c = p;
    uint8_t eph_pk[32];
    char eph_hex[65], json[256];
    const char* enc = c->gcm ? "aes-gcm" : "xchacha20";
    size_t len = frame(c->frame, c->payload, ONION_PAYLOAD, "{\"headers\":\"\"}");
    size_t blob_len = onion_layer(c, c->frame, len, c->node_x[0], eph_pk);   /* layer 0: the destination */
    for (int hop = 3; hop >= 1; hop--) {
        hex(eph_pk, 32, eph_hex);
        snprintf(json, sizeof json, "{\"destination\":\"%s\",\"ephemeral_key\":\"%s\",\"enc_type\":\"%s\"}",
                 c->node_ed_hex[hop == 3 ? 0 : hop + 1], eph_hex, enc);
        len = frame(c->frame, c->blob, blob_len, json);
        blob_len = onion_layer(c, c->frame, len, c->node_x[hop], eph_pk);
    }
    hex(eph_pk, 32, eph_hex);
    snprintf(json, sizeof json, "{\"ephemeral_key\":\"%s\",\"enc_type\":\"%s\"}", eph_hex, enc);
    c->blob_len = frame(c->frame, c->blob, blob_len, json);
}

static void bench_onion(int iters, int repeats) {
    onion_ctx* c = calloc(1, sizeof *c);
    for (int n = 0; n < 4; n++) {
        uint8_t sk[32], ed[32];
        randombytes_buf(sk, 32);
        crypto_scalarmult_curve25519_base(c->node_x[n], sk);
        randombytes_buf(ed, 32);
        hex(ed, 32, c->node_ed_hex[n]);
    }
    for (int i = 0; i < ONION_PAYLOAD; i++) c->payload[i] = (uint8_t)('a' + i % 26);
    c->gcm = crypto_aead_aes256gcm_is_available();
    base_onion(c);
    check(c->blob_len > ONION_PAYLOAD + 4 * 28, "onion baseline builds 4 layers");
    /* No ABI export: print the floor only; report.py pairs it with the managed figure. */
    double v[MAX_REPEATS];
    if (repeats > MAX_REPEATS) repeats = MAX_REPEATS;
    ns_per_op(base_onion, c, iters / 10 + 1);
    for (int r = 0; r < repeats; r++) v[r] = ns_per_op(base_onion, c, iters);
    double m = median(v, repeats);
    printf("%-34s %12.0f ns   (libsodium floor, %s; the library side is in the managed benchmark)\n",
           "onion request, 3 hops, C floor", m, c->gcm ? "AES-256-GCM" : "XChaCha20 (no AES-NI)");
    printf("RESULT\tonion_floor_c\tonion 3-hop build, C libsodium floor\t%.1f\tns\t%s\t%.1f\t\n", m,
           c->gcm ? "X25519 keygen + X25519 + HMAC-SHA256 + AES-256-GCM, x4 layers" : "X25519 keygen + X25519 + BLAKE2b + XChaCha20, x4 layers", m);
    free(c);
}

/* ------------------------------------------------------------------ per-frame cost: session_poll */

typedef struct { session_client* client; const session_event* ev[64]; uint32_t n; } poll_ctx;

static void abi_poll(void* p) {
    poll_ctx* c = p;
    if (session_poll(c->client, c->ev, 64, &c->n) != SESSION_OK) abort();
}

static void abi_floor(void* p) {
    (void)p;
    if (session_abi_major() != SESSION_ABI_MAJOR) abort();
}

static session_client* new_client(const char* dir, const char* seed_url, const char* name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    session_options* o = NULL;
    session_client* cl = NULL;
    if (session_options_new(&o) != SESSION_OK) return NULL;
    session_options_set_data_dir(o, path);
    if (seed_url) {
        session_options_add_seed_url(o, seed_url);
        session_options_set_i64(o, "tls.accept_self_signed", 1);
        session_options_set_i64(o, "poll.min_interval_ms", 50);
        session_options_set_i64(o, "poll.max_interval_ms", 200);
    }
    if (session_client_new(o, &cl) != SESSION_OK) cl = NULL;
    session_options_free(o);
    return cl;
}

static void bench_poll_idle(const char* dir, int iters, int repeats) {
    poll_ctx c = { .client = new_client(dir, NULL, "idle") };
    check(c.client != NULL, "client_new for the idle poll");
    if (!c.client) return;
    abi_poll(&c);
    check(c.n == 0, "an idle client has no events");
    compare("poll_idle", "session_poll, nothing pending", abi_poll, abi_floor, &c,
            "session_abi_major() (an empty ABI call)", iters * 20, repeats, "<=100ns");
    session_client_free(c.client);
}

/* Two started clients on LocalNet: A sends `events` messages to B; the time spent inside
 * session_poll calls that returned events, divided by the events they returned. */
static double now_s(void) { return now_ns() / 1e9; }

/* Every session_poll call made while draining: its duration, and the events it returned. A call over
 * 1 ms is classified by the thread's context switches during it (getrusage, outside the timed window):
 * involuntary = the OS preempted the thread (machine load); voluntary = it blocked inside the library
 * (a lock, or waiting for a garbage collection to end); neither = it ran on the CPU all along. */
typedef struct {
    double* calls; int n; int events; double total_ns; const session_event* ev[64];
    int slow_preempted, slow_blocked, slow_on_cpu;
    double* per_event; int batches;   /* ns per event of each call that returned events */
    double* cpu;                      /* the thread's CPU time in each call (preemption and waits excluded) */
} drain_stats;

static double thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint32_t timed_poll(session_client* cl, drain_stats* st) {
    uint32_t n = 0;
    struct rusage r0, r1;
    getrusage(RUSAGE_THREAD, &r0);
    double c0 = thread_cpu_ns();
    double t0 = now_ns();
    session_poll(cl, st->ev, 64, &n);
    double dt = now_ns() - t0;
    double c1 = thread_cpu_ns();   /* includes the two clock reads (a few hundred ns), outside the wall window */
    getrusage(RUSAGE_THREAD, &r1);
    st->cpu[st->n] = c1 - c0;
    st->calls[st->n++] = dt;   /* every poll counts: releasing a batch happens in the next one */
    st->total_ns += dt;
    st->events += (int)n;
    if (n > 0) st->per_event[st->batches++] = dt / n;
    if (dt > 1e6) {
        if (r1.ru_nivcsw > r0.ru_nivcsw) st->slow_preempted++;
        else if (r1.ru_nvcsw > r0.ru_nvcsw) st->slow_blocked++;
        else st->slow_on_cpu++;
    }
    return n;
}

static void bench_poll_events(const char* dir, const char* seed_url, int events) {
    session_client* a = new_client(dir, seed_url, "a");
    session_client* b = new_client(dir, seed_url, "b");
    check(a && b, "client_new on LocalNet");
    if (!a || !b) return;
    char bid[67];
    session_client_session_id(b, bid, sizeof bid, NULL);
    check(session_client_start(a) == SESSION_OK && session_client_start(b) == SESSION_OK, "client_start");

    /* Idle poll on a started, connected client (its network threads are running). */
    poll_ctx pc = { .client = b };
    double deadline = now_s() + 20;
    int connected = 0;
    while (!connected && now_s() < deadline) {
        abi_poll(&pc);
        for (uint32_t i = 0; i < pc.n; i++)
            if (pc.ev[i]->type == SESSION_EVENT_CONNECTION && pc.ev[i]->value == SESSION_CONNECTION_CONNECTED) connected = 1;
        if (!connected) session_wait(b, 100);
    }

    uint64_t rid;
    for (int i = 0; i < events; i++) {
        char text[32];
        int n = snprintf(text, sizeof text, "event %d", i);
        if (session_send(a, bid, (const uint8_t*)text, (size_t)n, 0, &rid) != SESSION_OK) { check(0, "session_send"); break; }
    }
    /* Phase 1: A's sends and B's arrivals at the network's pace, both drained every 2 ms. */
    drain_stats st = { 0 };
    st.calls = malloc(sizeof(double) * 200000);
    st.per_event = malloc(sizeof(double) * 200000);
    st.cpu = malloc(sizeof(double) * 200000);
    int got_msgs = 0, got_done = 0;
    double first_msg = 0, last_msg = 0;
    deadline = now_s() + 30;
    while ((got_msgs < events || got_done < events) && now_s() < deadline && st.n < 199990) {
        session_client* who[2] = { a, b };
        for (int w = 0; w < 2; w++) {
            uint32_t n = timed_poll(who[w], &st);
            for (uint32_t i = 0; i < n; i++) {
                if (st.ev[i]->type == SESSION_EVENT_MESSAGE && w == 1) {
                    if (got_msgs++ == 0) first_msg = now_s();
                    last_msg = now_s();
                }
                if (st.ev[i]->type == SESSION_EVENT_REQUEST_DONE && w == 0) got_done++;
            }
        }
        usleep(2000);
    }
    for (int w = 0; w < 2; w++) timed_poll(w ? b : a, &st);   /* releasing the last batches is part of draining */
    check(got_msgs == events && got_done == events, "every message sent on LocalNet arrived and was acknowledged");
    double rate1 = got_msgs > 1 && last_msg > first_msg ? (got_msgs - 1) / (last_msg - first_msg) : 0;

    /* Phase 2: a burst. C's inbox already holds `events` messages when it starts, so its first polls
     * of the network bring them in as fast as the library decodes them (well over 1,000/s). */
    session_client* c = new_client(dir, seed_url, "c");
    char cid[67];
    session_client_session_id(c, cid, sizeof cid, NULL);
    int sent_done = 0;
    for (int i = 0; i < events; i++) {
        char text[32];
        int n = snprintf(text, sizeof text, "burst %d", i);
        if (session_send(a, cid, (const uint8_t*)text, (size_t)n, 0, &rid) != SESSION_OK) { check(0, "session_send"); break; }
    }
    deadline = now_s() + 30;
    while (sent_done < events && now_s() < deadline) {
        uint32_t n = 0;
        session_poll(a, st.ev, 64, &n);
        for (uint32_t i = 0; i < n; i++) sent_done += st.ev[i]->type == SESSION_EVENT_REQUEST_DONE;
        if (sent_done < events) session_wait(a, 50);
    }
    check(sent_done == events, "the burst is stored before its recipient starts");
    check(c && session_client_start(c) == SESSION_OK, "client_start of the burst's recipient");
    int burst = 0;
    double burst_first = 0, burst_last = 0;
    deadline = now_s() + 30;
    while (burst < events && now_s() < deadline && st.n < 199990) {
        uint32_t n = timed_poll(c, &st);
        for (uint32_t i = 0; i < n; i++) {
            if (st.ev[i]->type != SESSION_EVENT_MESSAGE) continue;
            if (burst++ == 0) burst_first = now_s();
            burst_last = now_s();
        }
        usleep(1000);
    }
    timed_poll(c, &st);
    check(burst == events, "every message of the burst arrived");
    double rate2 = burst > 1 && burst_last > burst_first ? (burst - 1) / (burst_last - burst_first) : 0;

    if (st.events > 0) {
        double per = st.total_ns / st.events;
        printf("%-34s %12.0f ns   (all time in %d session_poll calls / %d events: %d messages at %.0f/s, %d request-done; burst of %d at %.0f/s)\n",
               "session_poll per event drained", per, st.n, st.events, got_msgs, rate1, got_done, burst, rate2);
        printf("RESULT\tpoll_per_event\tsession_poll, per event drained (messages arriving at up to %.0f/s)\t%.1f\tns\t\t\t<=2000ns\n",
               rate2 > rate1 ? rate2 : rate1, per);
        /* The typical batch: what the drain itself costs when no garbage collection or preemption hits it. */
        double typical = st.batches ? percentile(st.per_event, st.batches, 50) : 0;
        printf("%-34s %12.0f ns   (median over the %d calls that returned events)\n", "session_poll per event, typical batch", typical, st.batches);
        printf("RESULT\tpoll_per_event_median\tsession_poll per event drained, median of the %d calls that returned events\t%.1f\tns\t\t\t\n",
               st.batches, typical);
        /* The distribution of every call made while draining (empty ones included). */
        double p50 = percentile(st.calls, st.n, 50), p90 = percentile(st.calls, st.n, 90), p99 = percentile(st.calls, st.n, 99),
               p999 = percentile(st.calls, st.n, 99.9);
        double cpu_p99 = percentile(st.cpu, st.n, 99), cpu_max = st.cpu[st.n - 1];
        double max = st.calls[st.n - 1];
        int slow = 0;
        for (int i = 0; i < st.n; i++) slow += st.calls[i] > 1e6;
        printf("%-34s p50 %.0f ns, p90 %.0f ns, p99 %.0f ns, p99.9 %.0f ns, max %.0f ns (%d of %d calls > 1 ms: %d preempted by the OS, "
               "%d blocked in the library, %d on the CPU)\n",
               "session_poll while draining", p50, p90, p99, p999, max, slow, st.n, st.slow_preempted, st.slow_blocked, st.slow_on_cpu);
        /* What the library itself spent: the thread's CPU time per call, without preemption or waits. */
        printf("%-34s p99 %.0f ns, max %.0f ns\n", "session_poll CPU time while draining", cpu_p99, cpu_max);
        printf("RESULT\tpoll_cpu_max_draining\tsession_poll while draining, the most CPU time one call used (waits and preemption excluded)\t%.1f\tns\t\t\t\n", cpu_max);
        printf("RESULT\tpoll_slow_blocked\tsession_poll calls > 1 ms that blocked in the library (of %d > 1 ms; %d preempted by the OS)\t%d\tcalls\t\t\t\n",
               slow, st.slow_preempted, st.slow_blocked);
        printf("RESULT\tpoll_p50_draining\tsession_poll while draining, p50 of %d calls\t%.1f\tns\t\t\t\n", st.n, p50);
        printf("RESULT\tpoll_p90_draining\tsession_poll while draining, p90\t%.1f\tns\t\t\t\n", p90);
        printf("RESULT\tpoll_p99_draining\tsession_poll while draining, p99\t%.1f\tns\t\t\t\n", p99);
        printf("RESULT\tpoll_p999_draining\tsession_poll while draining, p99.9\t%.1f\tns\t\t\t\n", p999);
        printf("RESULT\tpoll_max_draining\tsession_poll, slowest call while draining (%d of %d calls > 1 ms)\t%.1f\tns\t\t\t<=1ms\n",
               slow, st.n, max);
    }
    free(st.calls);
    free(st.per_event);
    free(st.cpu);
    if (c) session_client_free(c);
    /* Idle poll while connected: time a burst of empty polls. */
    double v[7];
    for (int r = 0; r < 7; r++) v[r] = ns_per_op(abi_poll, &pc, 20000);
    double m = median(v, 7);
    printf("%-34s %12.0f ns\n", "session_poll, idle, started client", m);
    printf("RESULT\tpoll_idle_started\tsession_poll, nothing pending, started client\t%.1f\tns\t\t\t<=100ns\n", m);
    session_client_free(a);
    session_client_free(b);
}

/* ------------------------------------------------------------------ main */

int main(int argc, char** argv) {
    int iters = 200, repeats = 7, smoke = 0, events = 200, drain_only = 0;
    const char* wordlist = "src/Managed/Crypto/mnemonic-english.txt";
    const char* seed_url = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--iterations") && i + 1 < argc) iters = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc) repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--wordlist") && i + 1 < argc) wordlist = argv[++i];
        else if (!strcmp(argv[i], "--seed-url") && i + 1 < argc) seed_url = argv[++i];
        else if (!strcmp(argv[i], "--events") && i + 1 < argc) events = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--smoke")) { smoke = 1; iters = 3; repeats = 3; events = 3; }
        else if (!strcmp(argv[i], "--drain-only")) drain_only = 1;   /* only the session_poll rows (profiling the drain) */
        else { fprintf(stderr, "usage: bench [--iterations N] [--repeats R] [--wordlist FILE] [--seed-url URL] [--events N] [--smoke] [--drain-only]\n"); return 2; }
    }
    if (iters < 1) iters = 1;
    if (repeats < 1) repeats = 1;
    check(session_abi_compatible(SESSION_ABI_MAJOR, SESSION_ABI_MINOR) == 1, "ABI compatible");
    check(sodium_init() >= 0, "sodium_init");
    printf("# %s; %d repeats of %d calls, medians\n", session_version_string(), repeats, iters);

    keys alice, bob;
    make_keys(&alice, 1);
    make_keys(&bob, 101);
    if (!drain_only) {
        bench_box(&alice, &bob, 100, "100B", iters, repeats);
        bench_box(&alice, &bob, 4096, "4KB", iters, repeats);
        bench_open_batch(&alice, &bob, iters, repeats);
        bench_blind15(&alice, iters, repeats);
        bench_phrase(wordlist, iters, repeats);
        bench_onion(iters, repeats);
    }

    char dir[] = "/tmp/session-bench-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    bench_poll_idle(dir, iters, repeats);
    if (seed_url) bench_poll_events(dir, seed_url, events);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench: could not remove %s\n", dir);

    session_identity_free(alice.id);
    session_identity_free(bob.id);
    printf("%s: %d passed, %d failed\n", smoke ? "bench-smoke" : "bench-checks", g_passed, g_failed);
    return g_failed ? 1 : 0;
}
