#ifndef OTELSW_CRC32C_H
#define OTELSW_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of `length` bytes at `data`, continuing from
/// `crc` (0 to start; the result of an earlier call to go on). Uses the CPU's CRC instructions when
/// it has them (x86-64 SSE 4.2, AArch64 CRC), a table otherwise; the results are the same.
uint32_t otelsw_crc32c(uint32_t crc, const void *data, size_t length);

/// The same, always through the portable table code (for tests comparing the two).
uint32_t otelsw_crc32c_portable(uint32_t crc, const void *data, size_t length);

#endif
