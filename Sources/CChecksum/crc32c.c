// CRC-32C for the write-ahead log's record framing.
//
// The register is kept un-inverted inside; the public functions invert on entry and exit, so calls
// chain like zlib's crc32. With CPU instructions, long inputs are cut into three adjacent blocks whose
// CRCs run interleaved (the instruction's latency is three times its throughput) and are joined by
// "advance the register over BLOCK zero bytes", which is linear and therefore a lookup table.

#include "otelsw_crc32c.h"

#include <pthread.h>
#include <string.h>

#define POLY 0x82F63B78u
#define BLOCK 4096

static uint32_t byte_table[8][256];     // slicing-by-8 tables for the portable path
static uint32_t advance_table[4][256];  // the register after BLOCK zero bytes, one table per register byte
static int have_hardware;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint32_t portable(uint32_t reg, const unsigned char *p, size_t n) {
    while (n && ((uintptr_t)p & 7)) {
        reg = byte_table[0][(reg ^ *p++) & 0xFF] ^ (reg >> 8);
        n--;
    }
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        uint32_t lo = (uint32_t)word ^ reg;
        uint32_t hi = (uint32_t)(word >> 32);
        reg = byte_table[7][lo & 0xFF] ^ byte_table[6][(lo >> 8) & 0xFF] ^ byte_table[5][(lo >> 16) & 0xFF] ^ byte_table[4][lo >> 24]
            ^ byte_table[3][hi & 0xFF] ^ byte_table[2][(hi >> 8) & 0xFF] ^ byte_table[1][(hi >> 16) & 0xFF] ^ byte_table[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) reg = byte_table[0][(reg ^ *p++) & 0xFF] ^ (reg >> 8);
    return reg;
}

static uint32_t advance(uint32_t reg) {
    return advance_table[0][reg & 0xFF] ^ advance_table[1][(reg >> 8) & 0xFF]
         ^ advance_table[2][(reg >> 16) & 0xFF] ^ advance_table[3][reg >> 24];
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>
#define HW_TARGET __attribute__((target("sse4.2")))
HW_TARGET static inline uint64_t step64(uint64_t reg, uint64_t word) { return _mm_crc32_u64(reg, word); }
HW_TARGET static inline uint32_t step8(uint32_t reg, unsigned char byte) { return _mm_crc32_u8(reg, byte); }
static int detect(void) {
    unsigned a, b, c, d;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
}
#elif defined(__aarch64__)
#include <arm_acle.h>
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif
#define HW_TARGET __attribute__((target("crc")))
HW_TARGET static inline uint64_t step64(uint64_t reg, uint64_t word) { return __crc32cd((uint32_t)reg, word); }
HW_TARGET static inline uint32_t step8(uint32_t reg, unsigned char byte) { return __crc32cb(reg, byte); }
static int detect(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }
#else
#define HW_TARGET
#define NO_HARDWARE 1
static int detect(void) { return 0; }
#endif

#ifndef NO_HARDWARE
HW_TARGET static uint32_t hardware(uint32_t reg, const unsigned char *p, size_t n) {
    while (n && ((uintptr_t)p & 7)) {
        reg = step8(reg, *p++);
        n--;
    }
    while (n >= 3 * BLOCK) {
        uint64_t r0 = reg, r1 = 0, r2 = 0;
        for (size_t i = 0; i < BLOCK; i += 8) {
            uint64_t w0, w1, w2;
            memcpy(&w0, p + i, 8);
            memcpy(&w1, p + BLOCK + i, 8);
            memcpy(&w2, p + 2 * BLOCK + i, 8);
            r0 = step64(r0, w0);
            r1 = step64(r1, w1);
            r2 = step64(r2, w2);
        }
        reg = advance(advance((uint32_t)r0) ^ (uint32_t)r1) ^ (uint32_t)r2;
        p += 3 * BLOCK;
        n -= 3 * BLOCK;
    }
    uint64_t r = reg;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        r = step64(r, w);
        p += 8;
        n -= 8;
    }
    reg = (uint32_t)r;
    while (n--) reg = step8(reg, *p++);
    return reg;
}
#endif

static void initialize(void) {
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t reg = b;
        for (int k = 0; k < 8; k++) reg = (reg >> 1) ^ (POLY & (0u - (reg & 1)));
        byte_table[0][b] = reg;
    }
    for (uint32_t b = 0; b < 256; b++) {
        for (int t = 1; t < 8; t++) {
            uint32_t prev = byte_table[t - 1][b];
            byte_table[t][b] = byte_table[0][prev & 0xFF] ^ (prev >> 8);
        }
    }
    static const unsigned char zeros[BLOCK];
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) advance_table[k][b] = portable(b << (8 * k), zeros, BLOCK);
    }
    have_hardware = detect();
}

uint32_t otelsw_crc32c_portable(uint32_t crc, const void *data, size_t length) {
    pthread_once(&once, initialize);
    return ~portable(~crc, (const unsigned char *)data, length);
}

uint32_t otelsw_crc32c(uint32_t crc, const void *data, size_t length) {
    pthread_once(&once, initialize);
#ifndef NO_HARDWARE
    if (have_hardware) return ~hardware(~crc, (const unsigned char *)data, length);
#endif
    return ~portable(~crc, (const unsigned char *)data, length);
}
