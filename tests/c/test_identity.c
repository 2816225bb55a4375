/* Identities and the encryption helpers through the C ABI: official vectors, round trips and
 * every kind of misuse (NULLs, stale handles, short buffers, bad UTF-8, wrong IDs). */
#include <stdint.h>
#include <stdlib.h>
#include "session.h"
#include "check.h"

static const uint8_t SEED1[16] = {0x01,0x23,0x45,0x67,0x89,0xab,0xcd,0xef,0x01,0x23,0x45,0x67,0x89,0xab,0xcd,0xef};
static const char* ID1 = "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";
static const char* PHRASE1 = "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept";
/* protocol-crypto.md §7.4: seed1 of the blinding tests and server key SP0. */
static const char* BLIND_SEED_HEX = "fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122";
static const char* SP0 = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
static const char* ID25_SP0 = "253b991dcbba44cfdb45d5b38880d95cff723309e3ece6fd01415ad5fa1dccc7ac";
static const char* SIG15_HELLO = "1a5ade20b43af0e16b3e591d6f86303938d7557c0ac54469dd4f5aea759f82d22cafa42587251756e133acdddd8cbec2f707a9ce09a49f2193f46a91502c5006";

static void from_hex(const char* hex, uint8_t* out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void to_hex(const uint8_t* in, size_t n, char* out) {
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", in[i]);
}

int main(void) {
    session_identity* id = NULL;
    char buf[512];
    size_t needed = 0;

    /* Vectors: seed -> Session ID -> phrase, and phrase -> the same Session ID. */
    CHECK_STATUS(session_identity_from_seed(SEED1, sizeof SEED1, &id), SESSION_OK);
    CHECK_STATUS(session_identity_session_id(id, buf, sizeof buf, &needed), SESSION_OK);
    CHECK(strcmp(buf, ID1) == 0 && needed == 67);
    CHECK_STATUS(session_identity_mnemonic(id, buf, sizeof buf, &needed), SESSION_OK);
    CHECK(strcmp(buf, PHRASE1) == 0);
    session_identity_free(id);

    CHECK_STATUS(session_identity_from_mnemonic("  VEXED enj pigment films adept voted vexed enjoy pig films adept voted adept ", &id), SESSION_OK);
    CHECK_STATUS(session_identity_session_id(id, buf, sizeof buf, NULL), SESSION_OK);
    CHECK(strcmp(buf, ID1) == 0);

    /* Size queries: NULL buffer and short buffers report the size and write only an empty string
     * (a failed call leaves no stale text behind). */
    needed = 0;
    CHECK_STATUS(session_identity_session_id(id, NULL, 0, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(needed == 67);
    char tiny[1] = {'x'};
    CHECK_STATUS(session_identity_session_id(id, tiny, 1, &needed), SESSION_E_BUFFER_TOO_SMALL);
    CHECK(tiny[0] == '\0' && needed == 67);
    CHECK_STATUS(session_identity_session_id(id, buf, 66, &needed), SESSION_E_BUFFER_TOO_SMALL);

    /* Blinding vectors. */
    session_identity* blind = NULL;
    uint8_t seed32[32];
    from_hex(BLIND_SEED_HEX, seed32, 32);
    CHECK_STATUS(session_identity_from_seed(seed32, 32, &blind), SESSION_OK);
    CHECK_STATUS(session_identity_blinded25_id(blind, SP0, buf, sizeof buf, NULL), SESSION_OK);
    CHECK(strcmp(buf, ID25_SP0) == 0);
    uint8_t sig[64];
    char sig_hex[129];
    CHECK_STATUS(session_identity_blind15_sign(blind, SP0, (const uint8_t*)"hello", 5, sig, sizeof sig), SESSION_OK);
    to_hex(sig, 64, sig_hex);
    CHECK(strcmp(sig_hex, SIG15_HELLO) == 0);
    CHECK_STATUS(session_identity_blind15_sign(blind, SP0, (const uint8_t*)"hello", 5, sig, 63), SESSION_E_BUFFER_TOO_SMALL);
    CHECK_STATUS(session_identity_blinded15_id(blind, "abcd", buf, sizeof buf, NULL), SESSION_E_INVALID_ARGUMENT);
    uint8_t edpk[32];
    CHECK_STATUS(session_identity_ed25519_public_key(blind, edpk, sizeof edpk), SESSION_OK);
    to_hex(edpk, 32, buf);
    CHECK(strcmp(buf, "f4ef873908f6a5377ba3853f0e2fa326eed9e741edf9f7d0311a3ecc66a57b32") == 0);

    /* Seal from one identity to another, open, and refuse tampered or misdirected boxes. */
    session_identity* other = NULL;
    CHECK_STATUS(session_identity_generate(&other), SESSION_OK);
    char other_id[67];
    CHECK_STATUS(session_identity_session_id(other, other_id, sizeof other_id, NULL), SESSION_OK);
    uint8_t* box = NULL;
    size_t box_len = 0;
    CHECK_STATUS(session_seal(id, other_id, (const uint8_t*)"one-time code 123456", 20, &box, &box_len), SESSION_OK);
    uint8_t* plain = NULL;
    size_t plain_len = 0;
    char sender[67];
    CHECK_STATUS(session_open(other, box, box_len, &plain, &plain_len, sender, sizeof sender), SESSION_OK);
    CHECK(plain_len == 20 && memcmp(plain, "one-time code 123456", 20) == 0);
    CHECK(strcmp(sender, ID1) == 0);
    session_free_secret(plain, plain_len);

    plain = (uint8_t*)1;
    plain_len = 99;
    CHECK_STATUS(session_open(blind, box, box_len, &plain, &plain_len, sender, sizeof sender), SESSION_E_CRYPTO);
    CHECK(plain == NULL && plain_len == 0);  /* outputs zeroed on failure */
    box[box_len - 1] ^= 1;
    CHECK_STATUS(session_open(other, box, box_len, &plain, &plain_len, sender, sizeof sender), SESSION_E_CRYPTO);
    CHECK_STATUS(session_open(other, box, 10, &plain, &plain_len, sender, sizeof sender), SESSION_E_CRYPTO);
    CHECK_STATUS(session_open(other, box, box_len, &plain, &plain_len, sender, 66), SESSION_E_BUFFER_TOO_SMALL);
    session_free(box);

    /* Blinded DM round trip through a server key. */
    char other15[67], me15[67];
    CHECK_STATUS(session_identity_blinded15_id(other, SP0, other15, sizeof other15, NULL), SESSION_OK);
    CHECK_STATUS(session_identity_blinded15_id(id, SP0, me15, sizeof me15, NULL), SESSION_OK);
    CHECK_STATUS(session_seal_blinded_dm(id, SP0, other15, (const uint8_t*)"dm", 2, &box, &box_len), SESSION_OK);
    CHECK_STATUS(session_open_blinded_dm(other, SP0, me15, box, box_len, &plain, &plain_len, sender, sizeof sender), SESSION_OK);
    CHECK(plain_len == 2 && memcmp(plain, "dm", 2) == 0 && strcmp(sender, ID1) == 0);
    session_free_secret(plain, plain_len);
    CHECK_STATUS(session_open_blinded_dm(other, SP0, other15, box, box_len, &plain, &plain_len, sender, sizeof sender), SESSION_E_CRYPTO);
    CHECK_STATUS(session_seal_blinded_dm(id, SP0, other_id, (const uint8_t*)"dm", 2, &box, &box_len), SESSION_E_INVALID_ARGUMENT);
    session_free(box);

    /* Misuse: NULLs, bad IDs, bad UTF-8, bad seeds, oversize input. */
    CHECK_STATUS(session_identity_generate(NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_identity_from_seed(NULL, 16, &other), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_identity_from_seed(SEED1, 15, &other), SESSION_E_INVALID_ARGUMENT);
    CHECK(other == NULL);
    CHECK_STATUS(session_identity_from_mnemonic(NULL, &other), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_identity_from_mnemonic("zzzzz abbey", &other), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_identity_from_mnemonic("\xff\xfe", &other), SESSION_E_INVALID_UTF8);
    CHECK_STATUS(session_identity_from_mnemonic("amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed amaze", &other), SESSION_E_INVALID_ARGUMENT);
    CHECK(strcmp(session_last_error_code(), "mnemonic.bad_checksum") == 0);
    CHECK_STATUS(session_validate_session_id(ID1), SESSION_OK);
    CHECK_STATUS(session_validate_session_id("15d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72"), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_validate_session_id("05d2ad01"), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_validate_session_id("05zz"), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_validate_session_id(NULL), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_seal(id, "05abc", (const uint8_t*)"x", 1, &box, &box_len), SESSION_E_INVALID_ARGUMENT);
    CHECK_STATUS(session_seal(id, ID1, NULL, 5, &box, &box_len), SESSION_E_NULL_POINTER);
    CHECK_STATUS(session_seal(id, ID1, (const uint8_t*)"x", 1, NULL, &box_len), SESSION_E_NULL_POINTER);
    uint8_t* big = calloc(1, 200000);
    CHECK_STATUS(session_seal(id, ID1, big, 200000, &box, &box_len), SESSION_E_TOO_LARGE);
    free(big);
    CHECK_STATUS(session_seal(id, ID1, NULL, 0, &box, &box_len), SESSION_OK); /* empty plaintext is fine */
    session_free(box);

    /* Stale, forged and wrong-type handles are reported, never dereferenced. */
    session_identity* stale = id;
    session_identity_free(id);
    CHECK_STATUS(session_identity_session_id(stale, buf, sizeof buf, NULL), SESSION_E_INVALID_HANDLE);
    session_identity_free(stale); /* double free: ignored */
    CHECK(strcmp(session_last_error_code(), "handle.invalid") == 0);
    CHECK_STATUS(session_identity_session_id((session_identity*)(uintptr_t)0xdeadbeef, buf, sizeof buf, NULL), SESSION_E_INVALID_HANDLE);
    CHECK_STATUS(session_identity_session_id(NULL, buf, sizeof buf, NULL), SESSION_E_INVALID_HANDLE);
    session_identity_free(NULL);

    session_identity_free(blind);
    session_identity_free(other);
    return SUMMARY("test_identity");
}
