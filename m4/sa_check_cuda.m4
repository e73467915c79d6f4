# SPDX-License-Identifier: MIT
# SA_CHECK_CUDA: --enable-cuda=auto|yes|no. auto turns CUDA on when nvcc, cudart and
# cuBLAS are found and StarPU was built with CUDA; yes fails naming what is missing.
AC_DEFUN([SA_CHECK_CUDA], [
  AC_ARG_ENABLE([cuda],
    [AS_HELP_STRING([--enable-cuda=auto|yes|no], [CUDA codelets (default: auto)])],
    [], [enable_cuda=auto])
  AS_CASE([$enable_cuda], [auto|yes|no], [],
    [AC_MSG_ERROR([--enable-cuda=$enable_cuda: expected auto, yes or no])])
  sa_cuda=no
  sa_cuda_missing=
  AS_IF([test "$enable_cuda" != no], [
    AC_PATH_PROG([NVCC], [nvcc], [], [$PATH:/usr/local/cuda/bin])
    AS_IF([test -z "$NVCC" || test ! -x "$NVCC"], [sa_cuda_missing="nvcc (the CUDA toolkit; put its bin/ on PATH)"], [
      sa_cuda_dir=`AS_DIRNAME(["$NVCC"])`; sa_cuda_dir=`AS_DIRNAME(["$sa_cuda_dir"])`
      CUDA_CFLAGS="-isystem $sa_cuda_dir/include"
      CUDA_LIBS="-L$sa_cuda_dir/lib64 -Wl,-rpath,$sa_cuda_dir/lib64 -lcudart -lstdc++"
      sa_save_LIBS=$LIBS; sa_save_CPPFLAGS=$CPPFLAGS
      LIBS="-L$sa_cuda_dir/lib64 $LIBS"; CPPFLAGS="$CPPFLAGS $CUDA_CFLAGS"
      AC_CHECK_LIB([cudart], [cudaMalloc], [], [sa_cuda_missing="libcudart in $sa_cuda_dir/lib64"])
      # cuBLAS is opened at run time, only when there are CUDA workers (codelets/gemm.cu)
      AC_CHECK_LIB([cublas], [cublasCreate_v2], [:], [sa_cuda_missing="$sa_cuda_missing libcublas in $sa_cuda_dir/lib64"])
      LIBS=$sa_save_LIBS; CPPFLAGS=$sa_save_CPPFLAGS
      AS_IF([test -z "$sa_cuda_missing"], [
        AC_MSG_CHECKING([whether $NVCC compiles a kernel])
        cat > conftest.cu <<'_SA_EOF'
__global__ void k(double *x) { *x = threadIdx.x; }
int main(void) { k<<<1, 1>>>(0); return 0; }
_SA_EOF
        AS_IF([$NVCC -c conftest.cu -o conftest.o >&AS_MESSAGE_LOG_FD 2>&1],
          [AC_MSG_RESULT([yes])],
          [AC_MSG_RESULT([no]); sa_cuda_missing="a working nvcc (see config.log)"])
        rm -f conftest.cu conftest.o])
      AS_IF([test -z "$sa_cuda_missing" && test "$sa_starpu_cuda" != yes],
        [sa_cuda_missing="a StarPU built with CUDA (rerun ./bootstrap where nvcc is on PATH)"])
    ])
    AS_IF([test -z "$sa_cuda_missing"], [sa_cuda=yes],
      [AS_IF([test "$enable_cuda" = yes],
        [AC_MSG_ERROR([--enable-cuda=yes but CUDA is unusable: missing $sa_cuda_missing])])])
  ])
  AC_SUBST([SA_CUDA], [$sa_cuda])
  AS_IF([test "$sa_cuda" = yes], [sa_have_cuda=1], [sa_have_cuda=0; CUDA_CFLAGS=; CUDA_LIBS=])
  AC_DEFINE_UNQUOTED([SA_HAVE_CUDA], [$sa_have_cuda], [CUDA codelets are built])
  AM_CONDITIONAL([SA_HAVE_CUDA], [test "$sa_cuda" = yes])
  AC_ARG_VAR([NVCCFLAGS], [flags for nvcc])
  AS_IF([test -z "$NVCCFLAGS"], [NVCCFLAGS="-O3 -std=c++17"])
  AC_SUBST([CUDA_CFLAGS])
  AC_SUBST([CUDA_LIBS])
])
