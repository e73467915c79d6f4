# SPDX-License-Identifier: MIT
bin_PROGRAMS += %D%/info/starray-info
%C%_info_starray_info_SOURCES = %D%/info/starray_info.c
%C%_info_starray_info_LDADD = lib/libstarray.la
