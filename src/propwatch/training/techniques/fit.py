"""Fine-tune the shared encoder and both heads on the technique corpora (torch, CPU)."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import torch
import torch.nn.functional as F
from transformers import AutoModel

from propwatch.errors import PropwatchError
from propwatch.models.techniques.features import N_FEATURES
from propwatch.models.techniques.layout import Layout
from propwatch.models.techniques.windows import boundary_ids, load_tokenizer
from propwatch.training.techniques.data import (
    CORPORA,
    EXTRA_CORPORA,
    Example,
    Window,
    encode_article,
    make_windows,
    merge_corpora,
)
from propwatch.training.techniques.model import TechniqueNet

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class TrainSettings:
    """Hyperparameters of one training run (all recorded in the model card)."""

    encoder: str = ""
    window: int = 126
    stride: int = 96
    train_stride: int = 126
    freeze_layers: int = 2
    refit_heads: bool = True
    head_members: int = 3  # GRU token heads fitted on the exported encoder's states
    head_epochs: int = 12  # passes of each
    batch_size: int = 16
    epochs: int = 4
    encoder_lr: float = 6e-5
    head_lr: float = 1e-3
    warmup: float = 0.06
    span_hidden: int = 256
    dropout: float = 0.1
    max_pos_weight: float = 10.0
    val_fraction: float = 0.15
    seed: int = 13
    threads: int = 2
    max_minutes: float = 40.0
    limit_articles: int = 0
    extra: tuple[str, ...] = ()
    quantize: bool = True
    checkpoint_minutes: float = 10.0
    soft_labels: str = ""  # folder of a teacher's soft labels (see .distil), "" for none
    soft_share: float = 1.0  # soft-labelled windows per epoch, as a multiple of gold windows
    state_weight: float = 0.0  # weight of matching the teacher's states on soft windows; 0: off
    soft_spans: str = ""  # folder of a teacher's span labels (see .span_distil), "" for none
    soft_span_weight: float = 1.0  # weight of their loss in the span-head refit
    calibration_folds: int = 0  # span-head refits answering the extra articles out of fold
    span_head_only: bool = False  # a --from-model refit keeps the source's token head
    with_dev: bool = False  # train on the official dev set too (no dev score is then a result)


def split_articles(keys: Sequence[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """Train and validation article ids: a seeded shuffle of the sorted ids."""
    ordered = sorted(keys)
    order = np.random.default_rng(seed).permutation(len(ordered))
    n_val = round(len(ordered) * fraction)
    val = sorted(ordered[i] for i in order[:n_val])
    train = sorted(ordered[i] for i in order[n_val:])
    return train, val


EXTRA_SEPARATOR = ":"  # extra articles are keyed "<corpus>:<article id>"
DEV_CORPUS = "dev"  # the official dev set's articles when trained on (``with_dev``)


def split_examples(keys: Sequence[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    """:func:`split_articles` of the core articles; every extra article goes to training.

    The held-out articles tune the thresholds of both schemes, so only articles annotated in
    every scheme are held out; the split of the core articles does not depend on the extras.
    """
    core = [key for key in keys if EXTRA_SEPARATOR not in key]
    train, val = split_articles(core, fraction, seed)
    return sorted([*train, *(key for key in keys if EXTRA_SEPARATOR in key)]), val


def load_examples(
    data_root: Path,
    schemes: Sequence[str],
    tokenizer_path: Path,
    limit: int = 0,
    extra: Sequence[str] = (),
    with_dev: bool = False,
) -> tuple[Layout, dict[str, str], dict[str, Example]]:
    """Read the corpora of ``schemes`` (and the ``extra`` ones) and encode every article once.

    ``with_dev`` adds the official dev set's articles (both schemes), keyed ``dev:<id>`` so
    that they are never held out: for a final model, once every choice is made on them.
    """
    layout, texts, examples = scheme_examples(data_root, schemes, tokenizer_path, "train", limit)
    if with_dev:
        for own, (text, example) in dev_examples(data_root, schemes, tokenizer_path, limit).items():
            texts[own], examples[own] = text, example
    tokenizer = load_tokenizer(tokenizer_path)
    for name in extra:
        scheme, loader = EXTRA_CORPORA[name]
        corpus = loader(data_root)
        items = sorted(corpus.texts.items())[: limit or None]
        for key, text in items:
            own = f"{name}{EXTRA_SEPARATOR}{key}"
            texts[own] = text
            gold = {scheme: corpus.spans[key]}
            examples[own] = encode_article(own, text, gold, layout, tokenizer)
    return layout, texts, examples


def dev_examples(
    data_root: Path, schemes: Sequence[str], tokenizer_path: Path, limit: int = 0
) -> dict[str, tuple[str, Example]]:
    """The official dev set's articles as training examples, keyed ``dev:<id>`` (so never held
    out), with their texts."""
    _layout, texts, examples = scheme_examples(data_root, schemes, tokenizer_path, "dev", limit)
    out = {}
    for key, example in examples.items():
        example.key = f"{DEV_CORPUS}{EXTRA_SEPARATOR}{key}"
        out[example.key] = (texts[key], example)
    return out


def scheme_examples(
    data_root: Path, schemes: Sequence[str], tokenizer_path: Path, split: str, limit: int = 0
) -> tuple[Layout, dict[str, str], dict[str, Example]]:
    """The articles of one ``split`` annotated in every scheme of ``schemes``, encoded once
    (each scheme's spans mapped onto the first scheme's text of the article)."""
    corpora = {scheme: CORPORA[scheme](data_root, split) for scheme in schemes}
    layout = Layout({scheme: corpus.techniques for scheme, corpus in corpora.items()})
    if limit:
        for corpus in corpora.values():
            corpus.texts = dict(sorted(corpus.texts.items())[:limit])
    texts, spans = merge_corpora(corpora)
    tokenizer = load_tokenizer(tokenizer_path)
    examples = {
        key: encode_article(key, text, {s: spans[s][key] for s in schemes}, layout, tokenizer)
        for key, text in texts.items()
    }
    return layout, texts, examples


def pos_weight(examples: Sequence[Example], cap: float) -> torch.Tensor:
    positives = sum(e.targets.sum(0) for e in examples)
    labelled = sum(len(e.targets) * e.columns for e in examples)  # tokens labelled per column
    negatives = labelled - positives
    ratio = np.sqrt(negatives / np.maximum(positives, 1.0))
    return torch.tensor(np.clip(ratio, 1.0, cap), dtype=torch.float32)


def _batches(windows: list[Window], size: int, rng: random.Random) -> Iterator[list[Window]]:
    order = windows[:]
    rng.shuffle(order)
    for i in range(0, len(order), size):
        yield order[i : i + size]


def _collate(batch: list[Window], cls_id: int, sep_id: int) -> dict[str, torch.Tensor]:
    width = max(w.end - w.start for w in batch) + 2
    n_out = batch[0].example.targets.shape[1]
    ids = torch.zeros(len(batch), width, dtype=torch.long)
    mask = torch.zeros(len(batch), width, dtype=torch.long)
    feats = torch.zeros(len(batch), width, N_FEATURES)
    targets = torch.zeros(len(batch), width, n_out)
    columns = torch.stack([torch.from_numpy(w.example.columns) for w in batch]).unsqueeze(1)
    valid = torch.zeros(len(batch), width, dtype=torch.bool)
    for row, w in enumerate(batch):
        n = w.end - w.start
        ids[row, 0], ids[row, n + 1] = cls_id, sep_id
        ids[row, 1 : n + 1] = torch.from_numpy(w.example.ids[w.start : w.end])
        mask[row, : n + 2] = 1
        feats[row, 1 : n + 1] = torch.from_numpy(w.example.features[w.start : w.end])
        targets[row, 1 : n + 1] = torch.from_numpy(w.example.targets[w.start : w.end])
        valid[row, 1 : n + 1] = True
    weights = columns * valid.unsqueeze(-1)  # tokens of the window, columns it is labelled in
    inputs = {"ids": ids, "mask": mask, "features": feats, "targets": targets, "weights": weights}
    return inputs | _teacher_states(batch, width)


def _teacher_states(batch: list[Window], width: int) -> dict[str, torch.Tensor]:
    """The teacher's states of the batch's soft windows (``teacher_states``) and which tokens
    have them (``state_mask``); nothing when no window of the batch has any."""
    known = [w.example.teacher_states for w in batch if w.example.teacher_states is not None]
    if not known:
        return {}
    states = torch.zeros(len(batch), width, known[0].shape[1])
    state_mask = torch.zeros(len(batch), width, dtype=torch.bool)
    for row, w in enumerate(batch):
        if w.example.teacher_states is None:
            continue
        n = w.end - w.start
        window = w.example.teacher_states[w.start : w.end].astype(np.float32)
        states[row, 1 : n + 1] = torch.from_numpy(window)
        state_mask[row, 1 : n + 1] = True
    return {"teacher_states": states, "state_mask": state_mask}


def _span_groups(batch: list[Window]) -> dict[str, tuple[list[tuple[int, int, int]], list[int]]]:
    """Gold spans of a batch per scheme, as (row, first, last) in window coordinates + class."""
    groups: dict[str, tuple[list[tuple[int, int, int]], list[int]]] = {}
    for row, w in enumerate(batch):
        for first, last, scheme, index in w.spans:
            spans, classes = groups.setdefault(scheme, ([], []))
            spans.append((row, first - w.start + 1, last - w.start + 1))
            classes.append(index)
    return groups


def freeze(net: TechniqueNet, layers: int) -> None:
    """Freeze the embeddings and the lowest ``layers`` encoder layers (0 freezes nothing).

    On a 2-core CPU this is what makes fine-tuning affordable: backpropagation stops at the
    first trainable layer, and the small corpus is less easily overfitted.
    """
    if layers <= 0:
        return
    frozen = [net.encoder.embeddings, *net.encoder.encoder.layer[:layers]]
    for module in frozen:
        for parameter in module.parameters():
            parameter.requires_grad = False


PROGRESS_FILE = "progress.pt"
# Settings a resumed run may change: how long it may still take, how many cores it uses and
# how the heads are fitted after it (and on what).
RESUMABLE_CHANGES = {
    "max_minutes",
    "threads",
    "head_members",
    "head_epochs",
    "soft_spans",
    "soft_span_weight",
}


@dataclass
class _Progress:
    """Where a training run stands: enough to continue it after the process ends."""

    step: int = 0
    epoch: int = 0
    batch: int = 0  # batches of ``epoch`` done
    minutes: float = 0.0  # training minutes spent before this process
    epoch_rng: Any = None  # the batch shuffler's state when ``epoch`` began
    finished: bool = False


def _same_run(saved: dict[str, Any], settings: TrainSettings) -> None:
    now = asdict(settings)
    changed = sorted(k for k in now if k not in RESUMABLE_CHANGES and saved.get(k) != now[k])
    if changed:
        raise PropwatchError(
            f"the run in progress was started with other settings ({', '.join(changed)}); "
            "resume it with the same ones or choose another --out"
        )


def _windows(examples: Sequence[Example], settings: TrainSettings) -> list[Window]:
    return [w for e in examples for w in make_windows(e, settings.window, settings.train_stride)]


def soft_windows_per_epoch(n_gold: int, n_soft: int, share: float) -> int:
    """How many soft-labelled windows an epoch adds to its ``n_gold`` gold windows."""
    return min(n_soft, round(n_gold * share))


def epoch_windows(gold: list[T], soft: list[T], epoch: int, share: float, seed: int) -> list[T]:
    """The windows of one epoch: every gold window and the epoch's slice of the soft ones
    (or articles: the GRU token head takes its soft articles the same way).

    The soft windows are taken in one seeded order, slice after slice, so successive epochs
    read different teacher-labelled articles and the whole set before any repeats; the slice
    depends only on ``epoch``, so a resumed run reads the same windows.
    """
    if not soft:
        return gold
    take = soft_windows_per_epoch(len(gold), len(soft), share)
    order = np.random.default_rng(seed).permutation(len(soft))
    first = epoch * take
    chosen = [order[(first + i) % len(soft)] for i in range(take)]
    return gold + [soft[i] for i in chosen]


def train_net(
    layout: Layout,
    examples: Sequence[Example],
    settings: TrainSettings,
    log_path: Path | None = None,
    progress_path: Path | None = None,
    soft: Sequence[Example] = (),
) -> TechniqueNet:
    """Fine-tune a :class:`TechniqueNet` on ``examples`` (and the teacher-labelled ``soft``).

    Each epoch reads every gold window and ``settings.soft_share`` times as many windows of
    ``soft`` (see :func:`epoch_windows`); soft windows teach the token head and the encoder
    with the teacher's probabilities as targets.

    The learning rate warms up and decays linearly over the run's progress, which is the larger
    of the fraction of steps done and the fraction of ``max_minutes`` used: on a slow or busy
    machine the schedule is compressed so the run still ends, decayed, within the time budget.

    With ``progress_path``, the weights, optimizer, random states and position in the batch
    order are saved there every ``checkpoint_minutes`` and at the end; a run that finds the
    file continues from it (a teacher takes hours on two cores: a run may outlive a session).
    """
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    rng = random.Random(settings.seed)
    encoder = AutoModel.from_pretrained(settings.encoder)
    teacher_size = _teacher_size(soft) if settings.state_weight > 0 else 0
    net = TechniqueNet(
        encoder, layout, N_FEATURES, settings.span_hidden, settings.dropout, teacher_size
    )
    tokenizer = load_tokenizer(Path(settings.encoder) / "tokenizer.json")
    cls_id, sep_id = boundary_ids(tokenizer)
    freeze(net, settings.freeze_layers)
    windows, soft_windows = _windows(examples, settings), _windows(soft, settings)
    per_epoch = len(windows) + soft_windows_per_epoch(
        len(windows), len(soft_windows), settings.soft_share
    )
    steps = settings.epochs * ((per_epoch + settings.batch_size - 1) // settings.batch_size)
    head_params = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [
            {
                "params": [p for p in net.encoder.parameters() if p.requires_grad],
                "lr": settings.encoder_lr,
            },
            {"params": head_params, "lr": settings.head_lr},
        ],
        weight_decay=0.01,
    )
    done = _Progress()
    if progress_path is not None and progress_path.is_file():
        saved = torch.load(progress_path, weights_only=False)
        _same_run(saved["settings"], settings)
        net.load_state_dict(saved["net"])
        optimizer.load_state_dict(saved["optimizer"])
        torch.set_rng_state(saved["torch_rng"])
        done = _Progress(**saved["progress"])
        log.info("resuming at step %d of %d (%.1f min spent)", done.step, steps, done.minutes)
    if done.finished:
        net.eval()
        return net
    started, step = time.monotonic() - done.minutes * 60, done.step
    saved_at = time.monotonic()

    def progress() -> float:
        """Fraction of the run done: by steps, or by time when the time budget runs out first."""
        minutes = (time.monotonic() - started) / 60
        return max(step / steps, minutes / settings.max_minutes)

    def factor(_: int) -> float:
        fraction = progress()
        return min(fraction / settings.warmup, max(0.0, (1 - fraction) / (1 - settings.warmup)))

    def save(epoch: int, batch: int, epoch_rng: Any, finished: bool = False) -> None:
        if progress_path is None:
            return
        minutes = (time.monotonic() - started) / 60
        state = _Progress(step, epoch, batch, minutes, epoch_rng, finished)
        payload = {
            "net": net.state_dict(),
            "optimizer": optimizer.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "progress": asdict(state),
            "settings": asdict(settings),
        }
        progress_path.parent.mkdir(parents=True, exist_ok=True)
        partial = progress_path.with_suffix(".partial")
        torch.save(payload, partial)
        partial.replace(progress_path)  # never a half-written file, even if killed here

    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    weights = pos_weight(examples, settings.max_pos_weight)
    ce = torch.nn.CrossEntropyLoss()
    net.train()
    if done.epoch_rng is not None:
        rng.setstate(done.epoch_rng)
    for epoch in range(done.epoch, settings.epochs):
        epoch_rng = rng.getstate()
        chosen = epoch_windows(windows, soft_windows, epoch, settings.soft_share, settings.seed)
        batches = list(_batches(chosen, settings.batch_size, rng))
        skip = done.batch if epoch == done.epoch else 0
        for index in range(skip, len(batches)):
            loss = _loss(net, batches[index], cls_id, sep_id, weights, ce, settings.state_weight)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            step += 1  # before the schedule: the next step's rate is that of `step` steps done
            schedule.step()
            minutes = (time.monotonic() - started) / 60
            if step % 20 == 0:
                message = (
                    f"epoch {epoch} step {step}/{steps} loss {loss.item():.4f} {minutes:.1f} min"
                )
                log.info(message)
                if log_path:
                    with log_path.open("a") as stream:
                        stream.write(message + "\n")
            if progress() >= 1.0:
                if step < steps:
                    log.warning("time budget used up at step %d of %d", step, steps)
                save(epoch, index + 1, epoch_rng, finished=True)
                net.eval()
                return net
            if time.monotonic() - saved_at >= settings.checkpoint_minutes * 60:
                save(epoch, index + 1, epoch_rng)
                saved_at = time.monotonic()
    save(settings.epochs, 0, rng.getstate(), finished=True)
    net.eval()
    return net


def _teacher_size(soft: Sequence[Example]) -> int:
    """Width of the teacher's states the soft examples carry (all must carry them)."""
    sizes = {e.teacher_states.shape[1] for e in soft if e.teacher_states is not None}
    if len(sizes) != 1 or any(e.teacher_states is None for e in soft):
        raise PropwatchError("state distillation needs soft labels that all carry teacher states")
    return sizes.pop()


def _loss(
    net: TechniqueNet,
    batch: list[Window],
    cls_id: int,
    sep_id: int,
    pos_weight: torch.Tensor,
    ce: torch.nn.CrossEntropyLoss,
    state_weight: float = 0.0,
) -> torch.Tensor:
    """Token loss of one batch (weighted to the columns each window is labelled in) plus half
    the span head's loss on the batch's gold spans, plus ``state_weight`` times the mean cosine
    distance between the student's mapped states and the teacher's where the batch has them.

    Gold targets are weighted up where positive (``pos_weight``: spans are rare); a teacher's
    soft targets are matched as they are, since its probabilities already carry that weight.
    The cosine distance ignores the states' scale, which differs between encoders.
    """
    inputs = _collate(batch, cls_id, sep_id)
    hidden = net.encode(inputs["ids"], inputs["mask"])
    logits, targets = net.token_logits(hidden, inputs["features"]), inputs["targets"]
    weighted = F.binary_cross_entropy_with_logits(
        logits, targets, pos_weight=pos_weight, reduction="none"
    )
    soft = torch.tensor([w.example.soft for w in batch]).view(-1, 1, 1)
    if soft.any():
        plain = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
        weighted = torch.where(soft, plain, weighted)
    loss = (weighted * inputs["weights"]).sum() / inputs["weights"].sum()
    for scheme, (spans, classes) in _span_groups(batch).items():
        logits = net.span_logits(hidden, inputs["features"], spans, scheme)
        loss = loss + ce(logits, torch.tensor(classes)) * 0.5
    chosen = inputs.get("state_mask")
    if state_weight > 0 and net.state_map is not None and chosen is not None and chosen.any():
        mapped = net.state_map(hidden[chosen])
        distance = 1 - F.cosine_similarity(mapped, inputs["teacher_states"][chosen], dim=-1)
        loss = loss + state_weight * distance.mean()
    return loss


def save_checkpoint(
    net: TechniqueNet, layout: Layout, settings: TrainSettings, folder: Path
) -> None:
    """Write the torch weights, layout and settings (torch state, not read by propwatch: the
    exported ONNX model is what ships; kept for inspection with torch)."""
    folder.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), folder / "checkpoint.pt")
    meta = {"layout": layout.to_dict(), "settings": asdict(settings)}
    (folder / "checkpoint.json").write_text(json.dumps(meta, indent=2))
