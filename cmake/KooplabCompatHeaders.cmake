# Out-of-tree plugins written against kooplab 0.1 include numerical headers by
# their old flat paths ("kooplab/exact_dmd.hpp"). The installed package keeps
# those paths working with one-line forwarding headers, generated here into
# the build folder and installed beside the real ones; the tree itself uses the
# layered paths only. Deprecated: new plugins include "kooplab/<layer>/...".
set(KOOPLAB_COMPAT_HEADERS
  expression=data/expression idx=data/idx idx_image_dataset=data/idx_image_dataset labeled_data=data/labeled_data
  elementwise_function=dynamics/elementwise_function null_space_eigenfunctions=dynamics/null_space_eigenfunctions
  network_dynamics=dynamics/rnn_families
  amplitudes=koopman/amplitudes coordinate_basis=koopman/coordinate_basis delay_embedding=koopman/delay_embedding
  dictionary=koopman/dictionary dmd_rrr=koopman/dmd_rrr edmd=koopman/edmd exact_dmd=koopman/exact_dmd
  koopman_mode_pruning=koopman/koopman_mode_pruning koopman_training=koopman/koopman_training
  real_complex=koopman/linalg rank_rule=koopman/rank_rule tensor_train=koopman/tensor_train tt_edmd=koopman/tt_edmd
  layers=nn/layers loss=nn/loss network_cache=nn/network_cache optimizers=nn/optimizers sequential=nn/sequential
  training=nn/training training_start=nn/training_start
  hsvr=regression/hsvr kmeans=regression/kmeans svr=regression/svr
  npy=util/npy text=util/text)

set(kooplab_compat_dir "${CMAKE_BINARY_DIR}/compat_include/kooplab")
foreach(entry IN LISTS KOOPLAB_COMPAT_HEADERS)
  string(REPLACE "=" ";" pair "${entry}")
  list(GET pair 0 old_name)
  list(GET pair 1 new_path)
  file(CONFIGURE OUTPUT "${kooplab_compat_dir}/${old_name}.hpp"
    CONTENT "#pragma once\n// Deprecated path kept for plugins written against kooplab 0.1.\n#include \"kooplab/${new_path}.hpp\"\n")
endforeach()
install(DIRECTORY "${kooplab_compat_dir}" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
