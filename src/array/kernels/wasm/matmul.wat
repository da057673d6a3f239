;; WebAssembly SIMD matrix product: C = A · B for one (m,k)×(k,n) pair, row-major.
;;
;; Source of `matmul.wasm.ts` (the bytes embedded in the package). After editing,
;; regenerate with `deno task wasm` (src/array/kernels/wasm/build.ts, which uses the
;; `wabt` npm package); tests/kernels_matmul_test.ts fails while the two disagree.
;;
;; Layout (GotoBLAS / BLIS). The caller (matmul_wasm.ts) copies A (m×k) and B (k×n)
;; into this module's memory, reserves C (mPad×nPad, rows and columns rounded up
;; to the micro-tile) and two packing buffers, then calls `gemm_f64` or
;; `gemm_f32`, which loop
;;
;;   for jc in 0..n step NC            column block of B and C
;;     for pc in 0..k step KC          depth block
;;       pack B[pc:pc+kc, jc:jc+nc]    into panels of NR columns (zero-padded)
;;       for ic in 0..m step MC        row block of A and C
;;         pack A[ic:ic+mc, pc:pc+kc]  into strips of MR rows (zero-padded)
;;         for jr in 0..nc step NR     one B panel (kc×NR, stays in L1)
;;           for ir in 0..mc step MR   one A strip (kc×MR, streamed from L2)
;;             micro-kernel: C[MR×NR tile] (=|+=) strip · panel
;;
;; MC, KC and NC are arguments (element counts; MC a multiple of MR, NC of NR).
;; Because C is padded and the packed operands are zero-padded, every
;; micro-kernel call writes a full MR×NR tile: there is no edge code in the hot
;; loop, and the padding of C is simply not copied out.
;;
;; Micro-kernels (register blocking, 8 v128 accumulators each):
;;   f64: MR=4 rows × NR=4 columns = 4 rows × 2 f64x2 vectors
;;   f32: MR=4 rows × NR=8 columns = 4 rows × 2 f32x4 vectors
;; Each step of k loads the NR-wide row of the B panel (2 v128), then for each
;; of the MR rows broadcasts one A element (load64_splat / load32_splat) and
;; does 2 vector multiply-adds, so one step is 16 vector multiplies and adds
;; for 6 loads. 8 accumulators + 2 B vectors + 1 broadcast + 1 product fit in
;; the 16 xmm registers of x86-64 (and the 32 of arm64) without spilling. The
;; k loop is unrolled by four (remainder one step at a time). Measured on V8
;; (Deno 2.9, 2-core Xeon), n = 512: f64 ~19.5 GFLOP/s, f32 ~39 GFLOP/s; the
;; loop without unrolling gave ~16 and ~32.
;; No relaxed-SIMD fused multiply-add: Node 20 (V8 11.3) lacks it, and it would
;; change the rounding.
;;
;; Rounding: no fused multiply-add (plain `mul` then `add`, both rounded), and
;; every element of C is summed in increasing k: within a depth block the sum
;; starts from the first product (the first block stores instead of adding to
;; C), and each later block's partial sum is added to C. So for k <= KC the
;; result is bit-identical to the naive loop `s = 0; for p: s += a[i,p]*b[p,j]`
;; in the same precision. f32 sums in float32 lanes (like sgemm).

(module
  (memory (import "env" "memory") 1)

  ;; ---------------------------------------------------------------- float64

  ;; Packs the mc×kc block of A at $src (row stride $lda bytes) into strips of
  ;; 4 rows at $dst: strip s holds, for p = 0..kc-1, A[4s..4s+3, p] (32 bytes
  ;; per p). Rows past mc are zeros.
  (func $pack_a_f64 (param $src i32) (param $lda i32) (param $mc i32) (param $kc i32)
                    (param $dst i32)
    (local $i i32) (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local $end i32) (local $h i32) (local $p i32) (local $r i32)
    (block $done
      (loop $strip
        (br_if $done (i32.ge_u (local.get $i) (local.get $mc)))
        (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $lda))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $mc))
          (then
            ;; Full strip: four row pointers advance together.
            (local.set $s1 (i32.add (local.get $s0) (local.get $lda)))
            (local.set $s2 (i32.add (local.get $s1) (local.get $lda)))
            (local.set $s3 (i32.add (local.get $s2) (local.get $lda)))
            (local.set $end (i32.add (local.get $s0) (i32.shl (local.get $kc) (i32.const 3))))
            (loop $p
              (f64.store (local.get $dst) (f64.load (local.get $s0)))
              (f64.store offset=8 (local.get $dst) (f64.load (local.get $s1)))
              (f64.store offset=16 (local.get $dst) (f64.load (local.get $s2)))
              (f64.store offset=24 (local.get $dst) (f64.load (local.get $s3)))
              (local.set $s0 (i32.add (local.get $s0) (i32.const 8)))
              (local.set $s1 (i32.add (local.get $s1) (i32.const 8)))
              (local.set $s2 (i32.add (local.get $s2) (i32.const 8)))
              (local.set $s3 (i32.add (local.get $s3) (i32.const 8)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (br_if $p (i32.lt_u (local.get $s0) (local.get $end)))))
          (else
            ;; Last, partial strip: h < 4 real rows, the rest zeros.
            (local.set $h (i32.sub (local.get $mc) (local.get $i)))
            (local.set $p (i32.const 0))
            (loop $p
              (local.set $r (i32.const 0))
              (loop $r
                (f64.store (local.get $dst)
                  (if (result f64) (i32.lt_u (local.get $r) (local.get $h))
                    (then
                      (f64.load
                        (i32.add (local.get $s0)
                          (i32.add (i32.mul (local.get $r) (local.get $lda))
                                   (i32.shl (local.get $p) (i32.const 3))))))
                    (else (f64.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br_if $r (i32.lt_u (local.get $r) (i32.const 4))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $p (i32.lt_u (local.get $p) (local.get $kc))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $strip))))

  ;; Packs the kc×nc block of B at $src (row stride $ldb bytes) into panels of
  ;; 4 columns at $dst: panel q holds, for p = 0..kc-1, B[p, 4q..4q+3] (32
  ;; bytes per p). Columns past nc are zeros.
  (func $pack_b_f64 (param $src i32) (param $ldb i32) (param $kc i32) (param $nc i32)
                    (param $dst i32)
    (local $j i32) (local $s i32) (local $p i32) (local $q i32) (local $w i32)
    (block $done
      (loop $panel
        (br_if $done (i32.ge_u (local.get $j) (local.get $nc)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (local.get $kc))
        (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $nc))
          (then
            ;; Full panel: one row of it is two v128 copies.
            (loop $p
              (v128.store (local.get $dst) (v128.load (local.get $s)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $s)))
              (local.set $s (i32.add (local.get $s) (local.get $ldb)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $p (local.get $p))))
          (else
            ;; Last, partial panel: w < 4 real columns, the rest zeros.
            (local.set $w (i32.sub (local.get $nc) (local.get $j)))
            (loop $p
              (local.set $q (i32.const 0))
              (loop $q
                (f64.store (local.get $dst)
                  (if (result f64) (i32.lt_u (local.get $q) (local.get $w))
                    (then
                      (f64.load (i32.add (local.get $s) (i32.shl (local.get $q) (i32.const 3)))))
                    (else (f64.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br_if $q (i32.lt_u (local.get $q) (i32.const 4))))
              (local.set $s (i32.add (local.get $s) (local.get $ldb)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $p (local.get $p)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $panel))))

  ;; 4×4 float64 micro-kernel: the tile at $c (row stride $ldc bytes) becomes
  ;; (if $first) or is incremented by strip($pa, kc×4) · panel($pb, kc×4).
  ;; Accumulator cRH holds row R, columns 2H and 2H+1. kc >= 1.
  (func $micro_f64 (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32)
                   (param $kc i32) (param $first i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128) (local $end i32)
    ;; Main loop, four steps of k per iteration (unrolled: +20% over one step,
    ;; measured; constant memarg offsets instead of per-step increments were slower).
    (local.set $end
      (i32.add (local.get $pb) (i32.shl (i32.and (local.get $kc) (i32.const -4)) (i32.const 5))))
    (if (i32.ge_u (local.get $kc) (i32.const 4))
      (then
        (loop $k4
          ;; step 0
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load64_splat (local.get $pa)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          ;; step 1
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load64_splat (local.get $pa)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          ;; step 2
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load64_splat (local.get $pa)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          ;; step 3
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load64_splat (local.get $pa)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (br_if $k4 (i32.lt_u (local.get $pb) (local.get $end))))))
    ;; The last kc mod 4 steps, one at a time.
    (local.set $end
      (i32.add (local.get $pb) (i32.shl (i32.and (local.get $kc) (i32.const 3)) (i32.const 5))))
    (block $done
      (loop $k1
        (br_if $done (i32.ge_u (local.get $pb) (local.get $end)))
        (local.set $b0 (v128.load (local.get $pb)))
        (local.set $b1 (v128.load offset=16 (local.get $pb)))
        (local.set $a (v128.load64_splat (local.get $pa)))
        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
        (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
        (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
        (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
        (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
        (br $k1)))
    (if (local.get $first)
      (then
        (v128.store (local.get $c) (local.get $c00))
        (v128.store offset=16 (local.get $c) (local.get $c01))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c10))
        (v128.store offset=16 (local.get $c) (local.get $c11))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c20))
        (v128.store offset=16 (local.get $c) (local.get $c21))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c30))
        (v128.store offset=16 (local.get $c) (local.get $c31)))
      (else
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c00)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c10)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c20)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c30)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c31))))))

  ;; C (mPad×nPad float64 at $c, nPad = n rounded up to 4) = A (m×k at $a) ·
  ;; B (k×n at $b). $pa needs 8·MC·min(KC,k) bytes, $pb 8·min(KC,k)·min(NC,nPad).
  ;; Requires m, k, n >= 1.
  (func (export "gemm_f64") (param $a i32) (param $b i32) (param $c i32)
                            (param $m i32) (param $k i32) (param $n i32)
                            (param $pa i32) (param $pb i32)
                            (param $MC i32) (param $KC i32) (param $NC i32)
    (local $ldc i32) (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32)
    (local $ic i32) (local $mc i32) (local $jr i32) (local $ir i32) (local $cb i32)
    (local.set $ldc (i32.shl (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4))
                             (i32.const 3)))
    (loop $jc
      (local.set $nc (select (local.get $NC) (i32.sub (local.get $n) (local.get $jc))
                             (i32.lt_u (local.get $NC) (i32.sub (local.get $n) (local.get $jc)))))
      (local.set $pc (i32.const 0))
      (loop $pc
        (local.set $kc (select (local.get $KC) (i32.sub (local.get $k) (local.get $pc))
                               (i32.lt_u (local.get $KC) (i32.sub (local.get $k) (local.get $pc)))))
        (call $pack_b_f64
          (i32.add (local.get $b)
                   (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $n)) (local.get $jc))
                            (i32.const 3)))
          (i32.shl (local.get $n) (i32.const 3)) (local.get $kc) (local.get $nc) (local.get $pb))
        (local.set $ic (i32.const 0))
        (loop $ic
          (local.set $mc
            (select (local.get $MC) (i32.sub (local.get $m) (local.get $ic))
                    (i32.lt_u (local.get $MC) (i32.sub (local.get $m) (local.get $ic)))))
          (call $pack_a_f64
            (i32.add (local.get $a)
                     (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $k)) (local.get $pc))
                              (i32.const 3)))
            (i32.shl (local.get $k) (i32.const 3)) (local.get $mc) (local.get $kc) (local.get $pa))
          (local.set $jr (i32.const 0))
          (loop $jr
            ;; cb = &C[ic, jc + jr]
            (local.set $cb
              (i32.add (local.get $c)
                (i32.add (i32.mul (local.get $ic) (local.get $ldc))
                         (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 3)))))
            (local.set $ir (i32.const 0))
            (loop $ir
              (call $micro_f64
                (i32.add (local.get $pa)
                         (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 3)))
                (i32.add (local.get $pb)
                         (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3)))
                (local.get $cb) (local.get $ldc) (local.get $kc) (i32.eqz (local.get $pc)))
              (local.set $cb (i32.add (local.get $cb) (i32.shl (local.get $ldc) (i32.const 2))))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br_if $ir (i32.lt_u (local.get $ir) (local.get $mc))))
            (local.set $jr (i32.add (local.get $jr) (i32.const 4)))
            (br_if $jr (i32.lt_u (local.get $jr) (local.get $nc))))
          (local.set $ic (i32.add (local.get $ic) (local.get $MC)))
          (br_if $ic (i32.lt_u (local.get $ic) (local.get $m))))
        (local.set $pc (i32.add (local.get $pc) (local.get $KC)))
        (br_if $pc (i32.lt_u (local.get $pc) (local.get $k))))
      (local.set $jc (i32.add (local.get $jc) (local.get $NC)))
      (br_if $jc (i32.lt_u (local.get $jc) (local.get $n)))))

  ;; ---------------------------------------------------------------- float32
  ;; Same structure; elements are 4 bytes, MR = 4, NR = 8.

  ;; Packs the mc×kc block of A into strips of 4 rows (16 bytes per p).
  (func $pack_a_f32 (param $src i32) (param $lda i32) (param $mc i32) (param $kc i32)
                    (param $dst i32)
    (local $i i32) (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local $end i32) (local $h i32) (local $p i32) (local $r i32)
    (block $done
      (loop $strip
        (br_if $done (i32.ge_u (local.get $i) (local.get $mc)))
        (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $lda))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $mc))
          (then
            (local.set $s1 (i32.add (local.get $s0) (local.get $lda)))
            (local.set $s2 (i32.add (local.get $s1) (local.get $lda)))
            (local.set $s3 (i32.add (local.get $s2) (local.get $lda)))
            (local.set $end (i32.add (local.get $s0) (i32.shl (local.get $kc) (i32.const 2))))
            (loop $p
              (f32.store (local.get $dst) (f32.load (local.get $s0)))
              (f32.store offset=4 (local.get $dst) (f32.load (local.get $s1)))
              (f32.store offset=8 (local.get $dst) (f32.load (local.get $s2)))
              (f32.store offset=12 (local.get $dst) (f32.load (local.get $s3)))
              (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
              (local.set $s1 (i32.add (local.get $s1) (i32.const 4)))
              (local.set $s2 (i32.add (local.get $s2) (i32.const 4)))
              (local.set $s3 (i32.add (local.get $s3) (i32.const 4)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (br_if $p (i32.lt_u (local.get $s0) (local.get $end)))))
          (else
            (local.set $h (i32.sub (local.get $mc) (local.get $i)))
            (local.set $p (i32.const 0))
            (loop $p
              (local.set $r (i32.const 0))
              (loop $r
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_u (local.get $r) (local.get $h))
                    (then
                      (f32.load
                        (i32.add (local.get $s0)
                          (i32.add (i32.mul (local.get $r) (local.get $lda))
                                   (i32.shl (local.get $p) (i32.const 2))))))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br_if $r (i32.lt_u (local.get $r) (i32.const 4))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $p (i32.lt_u (local.get $p) (local.get $kc))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $strip))))

  ;; Packs the kc×nc block of B into panels of 8 columns (32 bytes per p).
  (func $pack_b_f32 (param $src i32) (param $ldb i32) (param $kc i32) (param $nc i32)
                    (param $dst i32)
    (local $j i32) (local $s i32) (local $p i32) (local $q i32) (local $w i32)
    (block $done
      (loop $panel
        (br_if $done (i32.ge_u (local.get $j) (local.get $nc)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $p (local.get $kc))
        (if (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $nc))
          (then
            (loop $p
              (v128.store (local.get $dst) (v128.load (local.get $s)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $s)))
              (local.set $s (i32.add (local.get $s) (local.get $ldb)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $p (local.get $p))))
          (else
            (local.set $w (i32.sub (local.get $nc) (local.get $j)))
            (loop $p
              (local.set $q (i32.const 0))
              (loop $q
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_u (local.get $q) (local.get $w))
                    (then
                      (f32.load (i32.add (local.get $s) (i32.shl (local.get $q) (i32.const 2)))))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br_if $q (i32.lt_u (local.get $q) (i32.const 8))))
              (local.set $s (i32.add (local.get $s) (local.get $ldb)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $p (local.get $p)))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $panel))))

  ;; 4×8 float32 micro-kernel; accumulator cRH holds row R, columns 4H..4H+3.
  (func $micro_f32 (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32)
                   (param $kc i32) (param $first i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128) (local $end i32)
    ;; Main loop, four steps of k per iteration (unrolled: +20% over one step,
    ;; measured; constant memarg offsets instead of per-step increments were slower).
    (local.set $end
      (i32.add (local.get $pb) (i32.shl (i32.and (local.get $kc) (i32.const -4)) (i32.const 5))))
    (if (i32.ge_u (local.get $kc) (i32.const 4))
      (then
        (loop $k4
          ;; step 0
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load32_splat (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          ;; step 1
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load32_splat (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          ;; step 2
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load32_splat (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          ;; step 3
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load32_splat (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (br_if $k4 (i32.lt_u (local.get $pb) (local.get $end))))))
    ;; The last kc mod 4 steps, one at a time.
    (local.set $end
      (i32.add (local.get $pb) (i32.shl (i32.and (local.get $kc) (i32.const 3)) (i32.const 5))))
    (block $done
      (loop $k1
        (br_if $done (i32.ge_u (local.get $pb) (local.get $end)))
        (local.set $b0 (v128.load (local.get $pb)))
        (local.set $b1 (v128.load offset=16 (local.get $pb)))
        (local.set $a (v128.load32_splat (local.get $pa)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
        (br $k1)))
    (if (local.get $first)
      (then
        (v128.store (local.get $c) (local.get $c00))
        (v128.store offset=16 (local.get $c) (local.get $c01))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c10))
        (v128.store offset=16 (local.get $c) (local.get $c11))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c20))
        (v128.store offset=16 (local.get $c) (local.get $c21))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (local.get $c30))
        (v128.store offset=16 (local.get $c) (local.get $c31)))
      (else
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
        (v128.store offset=16 (local.get $c)
          (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c10)))
        (v128.store offset=16 (local.get $c)
          (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c20)))
        (v128.store offset=16 (local.get $c)
          (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c30)))
        (v128.store offset=16 (local.get $c)
          (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c31))))))

  ;; C (mPad×nPad float32, nPad = n rounded up to 8) = A (m×k) · B (k×n).
  ;; $pa needs 4·MC·min(KC,k) bytes, $pb 4·min(KC,k)·min(NC,nPad).
  (func (export "gemm_f32") (param $a i32) (param $b i32) (param $c i32)
                            (param $m i32) (param $k i32) (param $n i32)
                            (param $pa i32) (param $pb i32)
                            (param $MC i32) (param $KC i32) (param $NC i32)
    (local $ldc i32) (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32)
    (local $ic i32) (local $mc i32) (local $jr i32) (local $ir i32) (local $cb i32)
    (local.set $ldc (i32.shl (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))
                             (i32.const 2)))
    (loop $jc
      (local.set $nc (select (local.get $NC) (i32.sub (local.get $n) (local.get $jc))
                             (i32.lt_u (local.get $NC) (i32.sub (local.get $n) (local.get $jc)))))
      (local.set $pc (i32.const 0))
      (loop $pc
        (local.set $kc (select (local.get $KC) (i32.sub (local.get $k) (local.get $pc))
                               (i32.lt_u (local.get $KC) (i32.sub (local.get $k) (local.get $pc)))))
        (call $pack_b_f32
          (i32.add (local.get $b)
                   (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $n)) (local.get $jc))
                            (i32.const 2)))
          (i32.shl (local.get $n) (i32.const 2)) (local.get $kc) (local.get $nc) (local.get $pb))
        (local.set $ic (i32.const 0))
        (loop $ic
          (local.set $mc
            (select (local.get $MC) (i32.sub (local.get $m) (local.get $ic))
                    (i32.lt_u (local.get $MC) (i32.sub (local.get $m) (local.get $ic)))))
          (call $pack_a_f32
            (i32.add (local.get $a)
                     (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $k)) (local.get $pc))
                              (i32.const 2)))
            (i32.shl (local.get $k) (i32.const 2)) (local.get $mc) (local.get $kc) (local.get $pa))
          (local.set $jr (i32.const 0))
          (loop $jr
            (local.set $cb
              (i32.add (local.get $c)
                (i32.add (i32.mul (local.get $ic) (local.get $ldc))
                         (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 2)))))
            (local.set $ir (i32.const 0))
            (loop $ir
              (call $micro_f32
                (i32.add (local.get $pa)
                         (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
                (i32.add (local.get $pb)
                         (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2)))
                (local.get $cb) (local.get $ldc) (local.get $kc) (i32.eqz (local.get $pc)))
              (local.set $cb (i32.add (local.get $cb) (i32.shl (local.get $ldc) (i32.const 2))))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br_if $ir (i32.lt_u (local.get $ir) (local.get $mc))))
            (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
            (br_if $jr (i32.lt_u (local.get $jr) (local.get $nc))))
          (local.set $ic (i32.add (local.get $ic) (local.get $MC)))
          (br_if $ic (i32.lt_u (local.get $ic) (local.get $m))))
        (local.set $pc (i32.add (local.get $pc) (local.get $KC)))
        (br_if $pc (i32.lt_u (local.get $pc) (local.get $k))))
      (local.set $jc (i32.add (local.get $jc) (local.get $NC)))
      (br_if $jc (i32.lt_u (local.get $jc) (local.get $n))))))
