"use strict";
const $ = (id) => document.getElementById(id);
const keyInput = $("key");
// The key lives in this page only: never stored, so no other script on the origin can read it later.
keyInput.addEventListener("change", () => loadModels());
const auth = () => keyInput.value ? {"X-API-Key": keyInput.value} : {};
let generator = null;
let previewDecoder = false;  // the repository has a tiny preview decoder (dcae export --preview-decoder)

function figure(src, caption) {
  const f = document.createElement("figure");
  const img = document.createElement("img");
  img.src = src;
  img.alt = caption;
  const c = document.createElement("figcaption");
  c.textContent = caption;
  f.append(img, c);
  return f;
}

async function errorText(r) {
  try { const e = (await r.json()).error; return `${r.status}: ${e.message}`; } catch { return `${r.status} ${r.statusText}`; }
}

async function loadModels() {
  previewDecoder = false;
  const r = await fetch("/v1/models", {headers: auth()});
  const table = $("models");
  if (!r.ok) { table.innerHTML = ""; table.insertRow().insertCell().textContent = await errorText(r); return; }
  const body = await r.json();
  table.innerHTML = "<tr><th>model</th><th>kind</th><th>details</th></tr>";
  for (const m of body.data) {
    const row = table.insertRow();
    row.insertCell().textContent = m.id || m.name;
    row.insertCell().textContent = m.kind;
    const d = {...m.details}; delete d.loaded;
    const code = document.createElement("code");
    code.textContent = Object.entries(d).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(" · ");
    row.insertCell().append(code);
    if (m.kind === "generator") generator = m.details;
    if (m.kind === "preview_decoder") previewDecoder = true;
  }
  if (generator) {
    $("steps").placeholder = generator.default_steps;
    $("guidance").placeholder = generator.default_guidance;
    const classes = generator.conditioning === "class";
    $("class-box").hidden = !classes;
    // a model that embeds the guidance (SANA-Sprint) takes no negative prompt
    $("negative-box").hidden = generator.conditioning !== "text" || generator.guidance === "embedded";
    $("prompt-label").textContent = classes ? "Prompt (mapped to the nearest class)" : "Prompt";
  } else {
    $("go").disabled = true;
    $("gen-status").textContent = "no generator is loaded";
  }
}

async function* events(response) {
  // Server-sent events from a fetch body: yields each event's parsed `data`.
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      if (data && data !== "[DONE]") yield JSON.parse(data);
    }
  }
}

$("go").addEventListener("click", async () => {
  // with a tiny preview decoder in the repository, a preview after every step; else two full-decode previews
  const body = {n: Number($("n").value) || 1, seed: Number($("seed").value) || 0, stream: true,
                ...(previewDecoder ? {preview_every_step: true} : {partial_images: 2})};
  const prompt = $("prompt").value.trim();
  if (prompt) body.prompt = prompt;
  if ($("class-label").value !== "" && !$("class-box").hidden) body.class_label = Number($("class-label").value);
  if ($("negative").value.trim() && !$("negative-box").hidden) body.negative_prompt = $("negative").value.trim();
  if ($("steps").value) body.steps = Number($("steps").value);
  if ($("guidance").value) body.guidance = Number($("guidance").value);
  const out = $("gen-images"), status = $("gen-status"), progress = $("progress");
  out.innerHTML = ""; status.className = "status"; status.textContent = "starting…"; progress.value = 0;
  $("go").disabled = true;
  const t0 = performance.now();
  try {
    const r = await fetch("/v1/generate", {method: "POST", headers: {"Content-Type": "application/json", ...auth()},
                                           body: JSON.stringify(body)});
    if (!r.ok) throw new Error(await errorText(r));
    const slots = [];
    for await (const e of events(r)) {
      if (e.type === "error") throw new Error(e.error.message);
      if (e.type === "image_generation.progress") {
        if (e.steps) {
          progress.max = e.steps; progress.value = e.step; status.textContent = `step ${e.step} of ${e.steps}`;
        } else {  // an adaptive sampler (dopri5): its steps are not known ahead; fraction is how far it has come
          progress.max = 1; progress.value = e.fraction;
          status.textContent = `step ${e.step} (${Math.round(100 * e.fraction)} %)`;
        }
        continue;
      }
      const i = e.image_index || 0;
      const src = `data:image/${e.output_format || "png"};base64,${e.b64_json}`;
      const caption = e.type === "image_generation.completed"
        ? `seed ${e.seed}` + (e.class_name ? ` · ${e.class_name}` : "")
        : previewDecoder ? `preview after step ${e.partial_image_index + 1}` : `preview ${e.partial_image_index + 1}`;
      if (!slots[i]) { slots[i] = figure(src, caption); out.append(slots[i]); }
      else { slots[i].querySelector("img").src = src; slots[i].querySelector("figcaption").textContent = caption; }
      if (e.type === "image_generation.completed") slots[i].dataset.done = "true";
    }
    status.textContent = `done in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  } catch (err) {
    status.className = "status error"; status.textContent = String(err.message || err);
  } finally {
    $("go").disabled = !generator;
  }
});

$("file").addEventListener("change", async () => {
  const file = $("file").files[0];
  if (!file) return;
  const out = $("enc-images"), status = $("enc-status");
  out.innerHTML = ""; status.className = "status"; status.textContent = "encoding…";
  out.append(figure(URL.createObjectURL(file), "original"));
  try {
    const form = new FormData();
    form.append("image", file);
    let r = await fetch("/v1/encode", {method: "POST", headers: auth(), body: form});
    if (!r.ok) throw new Error(await errorText(r));
    const enc = await r.json();
    status.textContent = `latent ${enc.shape.join(" × ")} (${enc.model}${enc.tiled ? ", tiled" : ""}) · decoding…`;
    r = await fetch("/v1/decode", {method: "POST", headers: {"Content-Type": "application/json", ...auth()},
                                   body: JSON.stringify({latent: enc.latent, image_size: enc.image_size})});
    if (!r.ok) throw new Error(await errorText(r));
    out.append(figure(URL.createObjectURL(await r.blob()), "reconstruction"));
    status.textContent = `latent ${enc.shape.join(" × ")} for a ${enc.image_size[1]} × ${enc.image_size[0]} image`;
  } catch (err) {
    status.className = "status error"; status.textContent = String(err.message || err);
  }
});

loadModels();
