"""A tritonclient driver for tests/export/test_triton.py, run by the Triton environment's Python
(.venv-triton: tritonclient and numpy < 2), so that the project's environment needs no tritonclient.

    python tests/support/triton_client.py JOB.json

JOB = {"http": "127.0.0.1:P", "grpc": "127.0.0.1:Q", "arrays": "inputs.npz", "result": "out.npz",
       "calls": [{"id": "enc-http", "protocol": "http" | "grpc", "model": "encoder",
                  "inputs": {"image": {"array": "enc_image"}, "prompt": {"bytes": ["a dog"]}},
                  "outputs": ["latent"]}, ...],
       "configs": ["encoder", ...]}
Writes every output to result as "<id>/<output>", and result + ".json" with
{"errors": {id: message}, "configs": {"<protocol>/<model>": config as JSON}}.
"""

import json
import sys

import numpy as np
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient
from google.protobuf import json_format
from tritonclient.utils import InferenceServerException, np_to_triton_dtype


def main(job_path: str) -> int:
    job = json.loads(open(job_path).read())
    arrays = dict(np.load(job["arrays"])) if job.get("arrays") else {}
    clients = {"http": (httpclient, httpclient.InferenceServerClient(job["http"])),
               "grpc": (grpcclient, grpcclient.InferenceServerClient(job["grpc"]))}
    results, errors, configs = {}, {}, {}
    for call in job["calls"]:
        module, client = clients[call["protocol"]]
        inputs = []
        for name, spec in call["inputs"].items():
            a = arrays[spec["array"]] if "array" in spec else np.array(
                [s.encode() for s in spec["bytes"]], dtype=np.object_)
            t = module.InferInput(name, list(a.shape), np_to_triton_dtype(a.dtype))
            t.set_data_from_numpy(a)
            inputs.append(t)
        outputs = [module.InferRequestedOutput(o) for o in call["outputs"]]
        try:
            response = client.infer(call["model"], inputs, outputs=outputs)
            for o in call["outputs"]:
                results[f"{call['id']}/{o}"] = response.as_numpy(o)
        except InferenceServerException as e:
            errors[call["id"]] = str(e)
    for model in job.get("configs", []):
        configs[f"http/{model}"] = clients["http"][1].get_model_config(model)
        grpc_config = clients["grpc"][1].get_model_config(model).config
        configs[f"grpc/{model}"] = json_format.MessageToDict(grpc_config, preserving_proto_field_name=True)
    np.savez(job["result"], **results)
    with open(job["result"] + ".json", "w") as f:
        json.dump({"errors": errors, "configs": configs}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
