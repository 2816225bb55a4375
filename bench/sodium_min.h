/* sodium_min.h — the few libsodium prototypes the benchmark baselines call.
 *
 * Declared here (same names and signatures as libsodium's own headers) so the harness needs no
 * libsodium-dev package: it links against the libsodium.so 1.0.22 that `make dist` puts beside
 * libsession.so, the very library libsession itself calls. These functions are part of libsodium's
 * stable ABI.
 */
#ifndef BENCH_SODIUM_MIN_H
#define BENCH_SODIUM_MIN_H

#include <stddef.h>
#include <stdint.h>

int sodium_init(void);
void randombytes_buf(void* buf, size_t size);

int crypto_sign_ed25519_seed_keypair(unsigned char* pk, unsigned char* sk, const unsigned char* seed);
int crypto_sign_ed25519_detached(unsigned char* sig, unsigned long long* siglen, const unsigned char* m,
                                 unsigned long long mlen, const unsigned char* sk);
int crypto_sign_ed25519_verify_detached(const unsigned char* sig, const unsigned char* m,
                                        unsigned long long mlen, const unsigned char* pk);
int crypto_sign_ed25519_pk_to_curve25519(unsigned char* curve25519_pk, const unsigned char* ed25519_pk);
int crypto_sign_ed25519_sk_to_curve25519(unsigned char* curve25519_sk, const unsigned char* ed25519_sk);

int crypto_box_seal(unsigned char* c, const unsigned char* m, unsigned long long mlen, const unsigned char* pk);
int crypto_box_seal_open(unsigned char* m, const unsigned char* c, unsigned long long clen,
                         const unsigned char* pk, const unsigned char* sk);

int crypto_scalarmult_curve25519(unsigned char* q, const unsigned char* n, const unsigned char* p);
int crypto_scalarmult_curve25519_base(unsigned char* q, const unsigned char* n);
int crypto_scalarmult_ed25519_base_noclamp(unsigned char* q, const unsigned char* n);
void crypto_core_ed25519_scalar_reduce(unsigned char* r, const unsigned char* s);
void crypto_core_ed25519_scalar_mul(unsigned char* z, const unsigned char* x, const unsigned char* y);
void crypto_core_ed25519_scalar_add(unsigned char* z, const unsigned char* x, const unsigned char* y);

int crypto_hash_sha512(unsigned char* out, const unsigned char* in, unsigned long long inlen);
/* crypto_hash_sha512_state is 208 bytes; an aligned opaque buffer avoids copying its layout. */
typedef struct { _Alignas(16) unsigned char opaque[256]; } bench_sha512_state;
int crypto_hash_sha512_init(bench_sha512_state* state);
int crypto_hash_sha512_update(bench_sha512_state* state, const unsigned char* in, unsigned long long inlen);
int crypto_hash_sha512_final(bench_sha512_state* state, unsigned char* out);
size_t crypto_hash_sha512_statebytes(void);

int crypto_generichash_blake2b(unsigned char* out, size_t outlen, const unsigned char* in,
                               unsigned long long inlen, const unsigned char* key, size_t keylen);

typedef struct { _Alignas(16) unsigned char opaque[512]; } bench_hmac_state;
int crypto_auth_hmacsha256_init(bench_hmac_state* state, const unsigned char* key, size_t keylen);
int crypto_auth_hmacsha256_update(bench_hmac_state* state, const unsigned char* in, unsigned long long inlen);
int crypto_auth_hmacsha256_final(bench_hmac_state* state, unsigned char* out);
size_t crypto_auth_hmacsha256_statebytes(void);

int crypto_aead_aes256gcm_is_available(void);
int crypto_aead_aes256gcm_encrypt(unsigned char* c, unsigned long long* clen_p, const unsigned char* m,
                                  unsigned long long mlen, const unsigned char* ad, unsigned long long adlen,
                                  const unsigned char* nsec, const unsigned char* npub, const unsigned char* k);
int crypto_aead_xchacha20poly1305_ietf_encrypt(unsigned char* c, unsigned long long* clen_p, const unsigned char* m,
                                               unsigned long long mlen, const unsigned char* ad, unsigned long long adlen,
                                               const unsigned char* nsec, const unsigned char* npub, const unsigned char* k);

#define BENCH_SEAL_BYTES 48u   /* crypto_box_SEALBYTES */

#endif
