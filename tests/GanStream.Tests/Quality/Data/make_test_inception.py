"""Write test-inception.onnx, a stand-in with the signature InceptionV3Network expects, for the wiring tests.

It is not Inception-v3: it averages each colour plane of the [N, 3, 299, 299] input (values in [-1, 1]) and maps
the three means linearly to 'pool3' [N, 2048] and to 'logits' [N, 1008]. Logit c for c = 0, 1, 2 is 40 times the
mean of plane c and every other logit is 0, so a pure red, green or blue image is classified with certainty as
class 0, 1 or 2, and a mid-grey image, whose means are about 0, gets nearly uniform probabilities.

    /usr/bin/python3 make_test_inception.py     # onnx 1.12, NumPy 1.24
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

pool_weights = np.sin(np.arange(3 * 2048, dtype=np.float64).reshape(3, 2048) * 0.01).astype(np.float32)
logit_weights = np.zeros((3, 1008), dtype=np.float32)
logit_weights[0, 0] = logit_weights[1, 1] = logit_weights[2, 2] = 40.0

graph = helper.make_graph(
    [
        helper.make_node("ReduceMean", ["images"], ["means"], axes=[2, 3], keepdims=0),
        helper.make_node("MatMul", ["means", "pool_weights"], ["pool3"]),
        helper.make_node("MatMul", ["means", "logit_weights"], ["logits"]),
    ],
    "test_inception",
    [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["N", 3, 299, 299])],
    [
        helper.make_tensor_value_info("pool3", TensorProto.FLOAT, ["N", 2048]),
        helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1008]),
    ],
    [numpy_helper.from_array(pool_weights, "pool_weights"), numpy_helper.from_array(logit_weights, "logit_weights")],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_test_inception.py")
model.ir_version = 7
onnx.checker.check_model(model, full_check=True)
onnx.save(model, "test-inception.onnx")
