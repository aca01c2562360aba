// Prints ggml's own reference quantization (quantize_row_q8_0_ref, quantize_row_q4_0_ref from the
// libggml-base that node-llama-cpp ships) of fixed inputs, as hex: the golden bytes of
// certification-lab/gguf/quantize.golden.test.ts. Build and run: native/quantize-golden.sh
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N (32 * 5)
typedef void (*quantize_fn)(const float *, void *, int64_t);

// The inputs, also written out in the test: halves that roundf takes away from zero, a mixed
// block, a block whose extreme is negative, zeros, and values small enough for a subnormal scale.
static void inputs(float *x) {
  const float halves[8] = {127.0f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 63.5f};
  for (int i = 0; i < 32; i++) x[i] = halves[i % 8] * (i < 8 ? 1.0f : (float)(i % 3 + 1) / 3.0f);
  for (int i = 0; i < 32; i++) x[32 + i] = (float)((i * 37) % 101 - 50) / 7.0f;
  for (int i = 0; i < 32; i++) x[64 + i] = i == 5 ? -9.75f : (float)(i % 9) / 4.0f;
  for (int i = 0; i < 32; i++) x[96 + i] = 0.0f;
  for (int i = 0; i < 32; i++) x[128 + i] = (float)(i - 16) * 1e-7f;
}

static void hex(const char *name, const uint8_t *b, int n) {
  printf("%s ", name);
  for (int i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) return fprintf(stderr, "%s\n", dlerror()), 1;
  quantize_fn q8 = (quantize_fn)dlsym(lib, "quantize_row_q8_0_ref");
  quantize_fn q4 = (quantize_fn)dlsym(lib, "quantize_row_q4_0_ref");
  float x[N];
  inputs(x);
  uint8_t out8[N / 32 * 34], out4[N / 32 * 18];
  q8(x, out8, N);
  q4(x, out4, N);
  hex("q8_0", out8, sizeof out8);
  hex("q4_0", out4, sizeof out4);
  return 0;
}
