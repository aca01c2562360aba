// Prints ggml's own block size and bytes per block of every tensor type (ggml_blck_size,
// ggml_type_size from the libggml-base that node-llama-cpp ships): the table of
// certification-lab/gguf/tensor-types.ts, which sizes a partner's declared tensors.
// Build and run: native/quantize-golden.sh
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef const char *(*name_fn)(int);
typedef int64_t (*blck_fn)(int);
typedef size_t (*size_fn)(int);

int main(int argc, char **argv) {
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) return fprintf(stderr, "%s\n", dlerror()), 1;
  name_fn name = (name_fn)dlsym(lib, "ggml_type_name");
  blck_fn blck = (blck_fn)dlsym(lib, "ggml_blck_size");
  size_fn size = (size_fn)dlsym(lib, "ggml_type_size");
  // GGML_TYPE_COUNT in the ggml.h of node-llama-cpp 3.21.1's bundled llama.cpp (these functions do
  // not check bounds); removed types have no name and no block size.
  for (int t = 0; t < 43; t++) {
    const char *n = name(t);
    if (!n || blck(t) == 0) continue;
    printf("%d %s %lld %zu\n", t, n, (long long)blck(t), size(t));
  }
  return 0;
}
