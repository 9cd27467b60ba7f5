"""The torch-free contract between the ML core, the gateway and Triton's generate model.

One implementation of every formula the three share, in numpy (Pillow and `tokenizers` where images
and prompts are read): noise schedules, objectives and samplers (`sampling`), the seeding rule and the
guided generation loop over an injected model call (`generation`), guidance's two halves over an injected
prompt encoder (`conditioning`: the negative prompt, SANA's default negative, "no prompt", the null class), tiling (`tiling`), latent scaling
(`latents`), pixel conversions (`pixels`), prompt tokenisation (`text_tokenize`) and the model
repository's metadata (`metadata`).

Nothing here imports torch or the rest of the project (an import-linter contract checks it), and the
modules import each other relatively only: `dcae export` copies this folder into Triton's `generate`
model as the package `dcae_contract`.
"""
