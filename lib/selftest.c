/* SPDX-License-Identifier: MIT
 * sa_self_test: one fill task per worker, each checked on the host. */
#include "sai.h"
#include "fill.h"

#include <stdlib.h>

/* One task on worker w; the result is compared with the closed form. */
static sa_status test_worker(int w)
{
  sa_status st = SA_OK;
  enum { N = 1000 };
  double *x = calloc(N, sizeof *x), base = 0.5 + w, step = 0.25;
  starpu_data_handle_t h = NULL;
  SAI_REQUIRE(x, SA_ERR_NOMEM, "sa_self_test: out of memory");
  starpu_vector_data_register(&h, STARPU_MAIN_RAM, (uintptr_t)x, N, sizeof *x);
  sai_fill_args args = {.base = base, .step = step, .last_index = -1, .dtype = SA_F64};
  SAI_CALL(sai_fill_submit(h, &args, w));
  starpu_data_unregister(h); /* waits for the task and brings x home */
  h = NULL;
  SAI_CALL(sai_async_take("sa_self_test"));
  char name[64];
  starpu_worker_get_name(w, name, sizeof name);
  for (int i = 0; i < N; i++)
    SAI_REQUIRE(x[i] == base + i * step, SA_ERR_INTERNAL,
                "sa_self_test: worker %d (%s) wrote x[%d] = %.17g, expected %.17g", w, name,
                i, x[i], base + i * step);
done:
  if (h) starpu_data_unregister(h);
  free(x);
  return st;
}

SA_API sa_status sa_self_test(int *ntasks)
{
  sa_status st = SA_OK;
  int ok = 0;
  SAI_REQUIRE(ntasks, SA_ERR_ARG, "sa_self_test: ntasks is NULL (argument 1)");
  *ntasks = 0;
  SAI_CALL(sai_require_init("sa_self_test"));
  for (unsigned w = 0; w < starpu_worker_get_count(); w++) {
    SAI_CALL(test_worker((int)w));
    ok++;
  }
  *ntasks = ok;
done:
  return st;
}
