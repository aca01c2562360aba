// The demo exam's item bank: 60 items on llama.cpp and GGUF, 12 per domain. Each is
// [stem, choices, correct choice numbers (1-based), explanation]; several keys make multiple response.
// It passes its own item lint (services/training/lint-item-bank.ts, issue 26): the key is the longest
// choice in about a quarter of the single-choice items, the shortest in about as many, and sits in each
// authored position about equally often, so no blind strategy beats chance.
type Item = [string, string[], number[], string]

export const demoItemBank: Record<string, Item[]> = {
  Quantization: [
    [
      'Which quantization type stores 4-bit weights in k-quant super-blocks with 6-bit scales, medium mix?',
      ['Q4_0', 'Q4_K_S', 'Q5_K_M', 'Q4_K_M'],
      [4],
      'Q4_K_M is the 4-bit k-quant, medium mix; Q4_K_S is the small mix, Q5_K_M is 5-bit, Q4_0 a legacy type.',
    ],
    [
      'Roughly how many bits per weight does Q8_0 use, counting its block scale?',
      ['4.5', '6.56', '8.5', '16'],
      [3],
      '32 int8 weights plus one f16 scale per block: 8.5 bits per weight.',
    ],
    [
      'Which tool converts an F16 GGUF to Q4_K_M?',
      ['llama-imatrix', 'llama-quantize', 'llama-bench', 'llama-cli'],
      [2],
      'llama-quantize re-quantizes a GGUF file; llama-imatrix only computes the importance matrix it can use.',
    ],
    [
      'What does an importance matrix (imatrix) improve?',
      [
        'Quality of the quantized weights',
        'Speed of prompt processing after quantizing',
        'Size of the KV cache at a given context',
        'Memory the quantized file needs on disk',
      ],
      [1],
      'The imatrix weighs quantization error by activation statistics; size and speed depend on the type.',
    ],
    [
      'Which types are k-quants?',
      ['Q4_0', 'Q2_K', 'IQ4_NL', 'Q5_K_S', 'Q6_K'],
      [2, 4, 5],
      'The _K suffix marks k-quants; Q4_0 is a legacy block type and IQ4_NL an i-quant.',
    ],
    [
      'Which quantization usually loses the least quality among these?',
      ['Q2_K', 'Q3_K_S', 'Q4_K_M', 'Q6_K'],
      [4],
      'More bits per weight: Q6_K is closest to F16.',
    ],
    [
      'Quantizing a 7B model from F16 to Q4_K_M roughly reduces its file size by a factor of',
      ['1.5', '2', '3.5', '8'],
      [3],
      '16 bits to about 4.8 bits per weight: about 3.3 to 3.5 times smaller.',
    ],
    [
      'Which tensor is commonly kept at higher precision by the k-quant mixes?',
      ['ffn_gate.weight', 'output.weight', 'attn_q.weight', 'ffn_up.weight'],
      [2],
      'The output projection is sensitive; mixes keep it at Q6_K or higher, while ffn_gate, ffn_up and attn_q ' +
        'usually take the base type.',
    ],
    [
      'What does the IQ prefix (IQ2_XS, IQ3_S…) denote?',
      [
        'i-quants built on lattice codebooks',
        'Integer arithmetic end to end',
        'Quants made without an imatrix',
        'Rows interleaved for GPUs',
      ],
      [1],
      'i-quants use lattice codebooks and reach 2–3 bits per weight; they are best made with an imatrix.',
    ],
    [
      'Which statements about quantized KV cache are true?',
      [
        'It is written into the GGUF file',
        'It is set with --cache-type-k and --cache-type-v',
        'q8_0 is one of the supported cache types',
        'It is lossless whatever cache type is chosen',
      ],
      [2, 3],
      'KV cache types are runtime options; q8_0 halves the cache with little loss.',
    ],
    [
      'Perplexity on a held-out text is used with quantization to',
      [
        'Measure tokens per second',
        'Pick the best batch size for a GPU',
        'Choose the backend to run on',
        'Measure the quality lost',
      ],
      [4],
      'llama-perplexity compares quantizations by quality.',
    ],
    [
      'Which of these types keep the weights unquantized?',
      ['Q8_0', 'F16', 'Q4_1', 'BF16'],
      [2, 4],
      'F16 and BF16 are 16-bit floating point, not quantized.',
    ],
  ],
  'GGUF format': [
    [
      'What does a GGUF file begin with?',
      [
        'A JSON header and its byte length',
        'A zip local file header and name',
        'The magic "GGUF" and a version',
        'The tokenizer vocabulary and merges',
      ],
      [3],
      'The header is the magic, the version, then tensor and metadata counts (safetensors starts with a JSON ' +
        'header, PyTorch files are zip).',
    ],
    [
      'Where does GGUF store the tokenizer?',
      [
        'In a tokenizer.json next to the GGUF',
        'In the metadata, as tokenizer.ggml.* keys',
        'In a companion vocab.gguf file',
        'In a tensor named tokenizer.vocab',
      ],
      [2],
      'tokenizer.ggml.tokens, .scores, .merges and friends.',
    ],
    [
      'Which metadata key names the model architecture?',
      ['general.architecture', 'general.type', 'general.model_architecture', 'tokenizer.ggml.model'],
      [1],
      'general.architecture, e.g. "llama", selects the graph; general.type says model or adapter, ' +
        'tokenizer.ggml.model names the tokenizer.',
    ],
    [
      'Why are GGUF tensor data aligned (general.alignment, default 32)?',
      [
        'So the file compresses well for distribution',
        'So each tensor can be signed on its own',
        'So downloads can resume at a tensor boundary',
        'So tensors can be mmapped and used in place',
      ],
      [4],
      'Aligned data can be mmapped and used in place.',
    ],
    [
      'Which can a GGUF file contain?',
      ['Python code that runs on load', 'Hyperparameters such as context length', 'Tensor data', 'The chat template'],
      [2, 3, 4],
      'Metadata, chat template and tensors; never code.',
    ],
    [
      'Which script converts a Hugging Face model to GGUF?',
      ['llama-quantize', 'convert_hf_to_gguf.py', 'convert_llama_ggml_to_gguf.py', 'llama-gguf-split'],
      [2],
      'convert_hf_to_gguf.py writes an F16/BF16/Q8_0 GGUF; convert_llama_ggml_to_gguf.py upgrades old GGML files.',
    ],
    [
      'What does gguf-split do?',
      [
        'Splits the layers of a model across several GPUs',
        'Moves the tokenizer into a file of its own',
        'Splits a GGUF into shards, or merges them',
        'Splits the KV cache between the server slots',
      ],
      [3],
      'Large models are distributed as shards (-00001-of-0000N).',
    ],
    [
      'Which key gives the training context length of a llama-architecture model?',
      ['llama.context_length', 'general.context_length', 'n_ctx', 'tokenizer.ggml.context'],
      [1],
      'Architecture keys are prefixed with the architecture name.',
    ],
    [
      'GGUF replaced which earlier format?',
      ['ONNX', 'safetensors', 'TorchScript', 'GGML/GGJT'],
      [4],
      'GGUF (2023) replaced the GGML/GGJT files.',
    ],
    [
      'Why is GGUF safe to load from an untrusted source, unlike pickle?',
      [
        'It is signed by its publisher',
        'Its tensors are encrypted at rest',
        'It holds data and metadata but no code',
        'Its loader runs in a sandbox',
      ],
      [3],
      'Loading does not execute anything from the file (parsers must still bound-check).',
    ],
    [
      'What describes each tensor in the GGUF header?',
      [
        'Its name and a SHA-256 hash of its data',
        'Its name, dimensions, type and offset',
        'Its name, shape and a compression method',
        'Its layer index, dtype and byte length',
      ],
      [2],
      'Tensor infos: name, n_dims, dims, ggml type, offset.',
    ],
    [
      'Where can llama-server take a model’s chat template from?',
      [
        'A tensor named chat_template inside the GGUF file',
        'The tokenizer.chat_template metadata key',
        'A chat_template.json file beside the model',
        'The --chat-template option on the command line',
      ],
      [2, 4],
      'The template is metadata and can be overridden with --chat-template.',
    ],
  ],
  'Context and batching': [
    [
      'What does -c / --ctx-size set?',
      [
        'The context length in tokens',
        'The number of CPU threads to use',
        'The logical batch size in tokens',
        'The cache type for the K and V tensors',
      ],
      [1],
      'n_ctx bounds prompt plus generated tokens.',
    ],
    [
      'What is the difference between -b (batch) and -ub (ubatch)?',
      [
        '-b is for the prompt, -ub for generated tokens',
        '-b sets the CPU batch, -ub the GPU batch',
        '-ub is an alias of -b kept for old scripts',
        '-b is the logical batch, -ub the physical one',
      ],
      [4],
      'n_batch is split into n_ubatch-sized compute batches.',
    ],
    [
      'The KV cache size grows linearly with',
      ['Number of threads', 'Context length', 'Prompt text length in bytes', 'Number of layers'],
      [2, 4],
      'Bytes = 2 × layers × ctx × kv_dim × type size.',
    ],
    [
      'What does --parallel (-np) do in llama-server?',
      [
        'Splits the model across several GPUs',
        'Loads several models into one server',
        'Serves several requests at once in slots',
        'Runs the prompt on several threads',
      ],
      [3],
      'Slots split n_ctx between concurrent requests.',
    ],
    [
      'Continuous batching in llama-server means',
      [
        'New requests join while others are generating',
        'Requests wait until the batch is full, then run',
        'Prompts are cached on disk between requests',
        'Requests are queued and served one at a time',
      ],
      [1],
      'Decoding steps batch all active slots.',
    ],
    [
      'Flash attention (-fa) mainly reduces',
      [
        'The size of the model file',
        'Memory traffic in attention',
        'The number of attention heads',
        'Time spent sampling tokens',
      ],
      [2],
      'Fused attention avoids materializing the score matrix.',
    ],
    [
      'What does context shifting do when the context is full?',
      [
        'Doubles the context and reallocates the cache',
        'Quantizes the KV cache to make more room',
        'Summarizes older turns into a shorter prompt',
        'Drops older tokens and keeps generating',
      ],
      [4],
      'It discards part of the history to make room.',
    ],
    [
      'Which settings affect prompt processing throughput?',
      ['The sampling temperature', 'The batch and ubatch sizes', 'The top-p sampler', 'Flash attention (-fa)'],
      [2, 4],
      'Sampling settings do not change pp speed.',
    ],
    [
      'RoPE scaling options (--rope-scaling, --rope-freq-base) are used to',
      [
        'Run beyond the trained context length',
        'Speed up sampling of long outputs',
        'Shrink the KV cache at long contexts',
        'Keep the system prompt on a shift',
      ],
      [1],
      'They stretch positional encodings.',
    ],
    [
      'Prompt caching (cache_prompt) helps when',
      [
        'Each prompt differs from the first token',
        'Requests share a long common prefix',
        'The model fits in RAM with room to spare',
        'Outputs are much longer than prompts',
      ],
      [2],
      'The shared prefix’s KV is reused.',
    ],
    [
      'A 7B llama model with 32 layers, 4096 hidden size, f16 KV, at 4096 context needs about how much KV cache?',
      ['256 MiB', '1 GiB', '2 GiB', '8 GiB'],
      [3],
      '2 × 32 × 4096 × 4096 × 2 bytes = 2 GiB (without GQA).',
    ],
    [
      'Which are true of the "n_keep" parameter?',
      [
        'It sets how many layers stay on the GPU',
        'It keeps the first tokens when the context shifts',
        'It keeps the last tokens when the context shifts',
        'It can protect a system prompt',
      ],
      [2, 4],
      'n_keep protects the start of the context; a shift drops the tokens after it.',
    ],
  ],
  Backends: [
    [
      'Which is llama.cpp’s native backend for NVIDIA GPUs?',
      ['Metal', 'CUDA', 'CANN', 'MUSA'],
      [2],
      'CUDA is the native NVIDIA backend (Vulkan also works); CANN is for Ascend NPUs, MUSA for Moore Threads GPUs.',
    ],
    [
      'What does -ngl / --n-gpu-layers control?',
      [
        'How many GPUs the model is split across',
        'How much GPU memory the cache may use',
        'How many tokens the GPU takes per batch',
        'How many layers are offloaded to the GPU',
      ],
      [4],
      'Layers not offloaded run on the CPU.',
    ],
    [
      'Which backend does llama.cpp use on Apple silicon GPUs?',
      ['Metal', 'CUDA', 'HIP', 'OpenCL'],
      [1],
      'Metal, with unified memory.',
    ],
    [
      'Which backends are part of ggml?',
      ['DirectML', 'CUDA', 'Vulkan', 'SYCL'],
      [2, 3, 4],
      'DirectML is not a ggml backend.',
    ],
    [
      'On a CPU, token generation speed is usually bound by',
      ['Disk read speed', 'Peak floating-point throughput', 'Memory bandwidth', 'Tokenizer speed'],
      [3],
      'Each token reads all weights from memory.',
    ],
    [
      'What does --split-mode row|layer choose?',
      [
        'How a model is split across several GPUs',
        'How a long prompt is split into batches',
        'How a large GGUF is split into shards',
        'How the KV cache is split between slots',
      ],
      [1],
      'Layer split is the default; row split spreads matrices.',
    ],
    [
      'Which backend targets AMD GPUs natively?',
      ['Metal', 'CANN (Ascend)', 'MUSA', 'HIP (ROCm)'],
      [4],
      'HIP builds the CUDA code for ROCm.',
    ],
    [
      'What is --mlock for?',
      [
        'Locking the GPU so no other process can use it',
        'Keeping the model’s pages out of swap',
        'Encrypting the model’s pages in memory',
        'Loading the whole file instead of mmap',
      ],
      [2],
      'mlock pins pages in memory; --no-mmap is what reads the whole file.',
    ],
    [
      'Why does mmap loading start fast?',
      [
        'The file is decompressed in the background',
        'The tokenizer is skipped until it is needed',
        'Pages are read from disk on first use',
        'The GPU reads the file directly from disk',
      ],
      [3],
      'The OS maps the file lazily.',
    ],
    [
      'Which CPU features do llama.cpp’s CPU kernels use where available?',
      ['NEON on ARM', 'CUDA cores on the GPU', 'AVX2 and AVX-512 on x86', 'SVE on some ARM cores'],
      [1, 3, 4],
      'SIMD paths exist for each; CUDA cores belong to a GPU.',
    ],
    [
      'What does -t / --threads set?',
      [
        'CPU threads used for computation',
        'CUDA streams used per GPU',
        'Slots serving requests in parallel',
        'Threads that read the model file',
      ],
      [1],
      'Usually the number of physical cores is best.',
    ],
    [
      'RPC backend (ggml-rpc) lets llama.cpp',
      [
        'Run its kernels inside a web browser',
        'Serve clients over gRPC as well as HTTP',
        'Share one KV cache between servers',
        'Offload work to devices on other machines',
      ],
      [4],
      'rpc-server exposes a backend remotely.',
    ],
  ],
  'llama-bench and performance': [
    [
      'In llama-bench output, "pp512" measures',
      [
        'Generating 512 tokens',
        'Perplexity at 512 tokens',
        'Processing a 512-token prompt',
        'Serving 512 requests at once',
      ],
      [3],
      'pp is prompt processing throughput.',
    ],
    [
      '"tg128" measures',
      [
        'Processing a 128-token prompt in a batch',
        'Generating 128 tokens, one at a time',
        'Generation with 128 CPU threads',
        'Sampling with top-k set to 128',
      ],
      [2],
      'tg is text generation throughput.',
    ],
    [
      'Why does tg run far slower than pp per token?',
      [
        'Generation runs the whole model at a higher precision',
        'Prompt processing skips most of the attention layers',
        'Generation runs on the CPU while pp uses the GPU',
        'Each step makes one token and reads all weights',
      ],
      [4],
      'Generation is bound by memory bandwidth; pp batches many tokens per weight read.',
    ],
    [
      'What does -r set in llama-bench?',
      ['Repetitions per test', 'Random seed for sampling', 'RoPE frequency base', 'Rows of the output table'],
      [1],
      'Results report mean ± standard deviation over repetitions.',
    ],
    [
      'Which are llama-bench output formats (-o)?',
      ['csv', 'yaml', 'md', 'json', 'sql'],
      [1, 3, 4, 5],
      'llama-bench -o md|csv|json|jsonl|sql; there is no yaml.',
    ],
    [
      'To compare two builds fairly you should',
      [
        'Run both builds at once on the same machine',
        'Tune each build’s batch size',
        'Use the same model file and settings',
        'Keep the best run of each and drop the rest',
      ],
      [3],
      'Same inputs, several repetitions, report the spread.',
    ],
    [
      'An upper bound on tg speed, in tokens/s, with 100 GB/s of memory bandwidth and a 4 GB model is about',
      ['4', '25', '40', '400'],
      [2],
      'Each token reads ~4 GB: 100/4 = 25 tokens/s.',
    ],
    [
      'Which options can llama-bench sweep in one run?',
      ['-t (threads)', '--jinja (chat templates)', '-ngl (GPU layers)', '-b and -ub (batch sizes)'],
      [1, 3, 4],
      'Comma-separated values run each combination; chat templates play no part in a benchmark.',
    ],
    [
      'What does "-p 0 -n 128" run?',
      [
        'The prompt test alone',
        'A 128-token prompt test',
        'The generation test alone',
        'The prompt and generation tests',
      ],
      [3],
      'A zero prompt length skips pp.',
    ],
    [
      'Speculative decoding speeds up generation by',
      [
        'Drafting with a small model, verifying in a batch',
        'Skipping layers whose output barely changes',
        'Lowering precision for easy tokens',
        'Reusing the last token’s attention scores',
      ],
      [1],
      'Accepted draft tokens cost one batched step.',
    ],
    [
      'Which tool reports tokens per second from a running server?',
      [
        'llama-bench -o json',
        'llama-server’s /health endpoint',
        'llama-server’s /props endpoint',
        'llama-server’s /metrics endpoint',
      ],
      [4],
      'llama-server exposes Prometheus metrics with --metrics; llama-bench measures its own runs, not a server.',
    ],
    [
      'A spread (stddev) that is large compared with the mean suggests',
      [
        'A machine faster than the one the runner declared',
        'Noise, such as throttling or other load',
        'A measurement that is more precise than usual',
        'A well-tuned build running at its peak speed',
      ],
      [2],
      'Investigate before publishing numbers.',
    ],
  ],
}
