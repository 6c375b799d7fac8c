"""Calls an irisops server with Triton's own HTTP client (tritonclient[http], PyPI): the
referee for the Open Inference Protocol. Prints one JSON document of what it read."""
import json
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

url, name = sys.argv[1], sys.argv[2]
client = httpclient.InferenceServerClient(url=url)
report = {
    "live": client.is_server_live(),
    "ready": client.is_server_ready(),
    "model_ready": client.is_model_ready(name),
    "other_ready": client.is_model_ready("no_such_model"),
    "metadata": client.get_model_metadata(name),
}
version = report["metadata"]["versions"][0]

rows = np.array(
    [[5.1, 3.5, 1.4, 0.2], [6.4, 3.2, 4.5, 1.5], [6.3, 3.3, 6.0, 2.5]], dtype=np.float32
)
matrix = httpclient.InferInput("input", list(rows.shape), "FP32")
matrix.set_data_from_numpy(rows, binary_data=False)
result = client.infer(name, [matrix], request_id="triton-1")
report["all"] = {
    "id": result.get_response().get("id"),
    "predictions": result.as_numpy("predictions").tolist(),
    "probabilities_shape": list(result.as_numpy("probabilities").shape),
    "labels": [b if isinstance(b, str) else b.decode() for b in result.as_numpy("labels").tolist()],
}

columns = []
for j, feature in enumerate(report["metadata"]["inputs"][0]["parameters"]["features"]):
    column = httpclient.InferInput(feature, [3], "FP64")
    column.set_data_from_numpy(rows[:, j].astype(np.float64), binary_data=False)
    columns.append(column)
wanted = [httpclient.InferRequestedOutput("predictions", binary_data=False)]
result = client.infer(name, columns, outputs=wanted, model_version=version)
report["columns"] = {
    "predictions": result.as_numpy("predictions").tolist(),
    "labels": result.as_numpy("labels"),
}

bad = httpclient.InferInput("input", [1, 3], "FP32")
bad.set_data_from_numpy(np.array([[1, 2, 3]], dtype=np.float32), binary_data=False)
try:
    client.infer(name, [bad])
    report["bad"] = None
except InferenceServerException as error:
    report["bad"] = {"status": error.status(), "message": error.message()}

print(json.dumps(report))
