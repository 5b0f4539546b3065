// Live viewer of an edge: the latest input and synthesized image of each camera, side by side.
//
// It polls /viewer/frames instead of holding a Server-Sent Events stream open. Results arrive at a few frames per
// second, so a small JSON request every half second costs little, keeps no connection open per browser tab on the
// edge, and recovers by itself after the edge restarts. An image is requested only when its camera's frame changes,
// and the edge serves the bytes it already has.
'use strict';

const POLL_INTERVAL_MS = 500;
const camerasElement = document.getElementById('cameras');
const statusElement = document.getElementById('status');
const emptyElement = document.getElementById('empty');
const pauseElement = document.getElementById('pause');
const cards = new Map();

function createFigure(className) {
  const figure = document.createElement('figure');
  const image = document.createElement('img');
  image.className = className;
  image.alt = className === 'output' ? 'synthesized image' : 'input image';
  const caption = document.createElement('figcaption');
  figure.append(image, caption);
  return { figure, image, caption };
}

function createCard(id) {
  const section = document.createElement('section');
  section.className = 'camera';
  section.dataset.camera = id;
  const title = document.createElement('h2');
  const stats = document.createElement('p');
  stats.className = 'stats';
  const pair = document.createElement('div');
  pair.className = 'pair';
  const input = createFigure('input');
  const output = createFigure('output');
  pair.append(input.figure, output.figure);
  section.append(title, stats, pair);
  camerasElement.append(section);
  return { section, title, stats, input, output };
}

function showImage(view, image, waitingText) {
  if (!image) {
    view.image.removeAttribute('src');
    delete view.image.dataset.url;
    view.caption.textContent = waitingText;
    return;
  }

  if (view.image.dataset.url !== image.url) {
    view.image.dataset.url = image.url;
    view.image.src = image.url;
  }

  view.caption.textContent = image.label;
}

function formatStats(frame) {
  if (!frame) {
    return 'waiting for the first result';
  }

  const parts = [`end-to-end latency ${Math.round(frame.latencyMs)} ms`];
  parts.push(frame.resultsPerSecond === null
    ? 'result rate: one result so far'
    : `${frame.resultsPerSecond.toFixed(1)} results/s`);
  parts.push(`frame ${frame.sequence}`);
  parts.push(`received ${(frame.ageMs / 1000).toFixed(1)} s ago`);
  return parts.join(' · ');
}

function render(data) {
  const seen = new Set();
  for (const camera of data.cameras) {
    seen.add(camera.id);
    let card = cards.get(camera.id);
    if (!card) {
      card = createCard(camera.id);
      cards.set(camera.id, card);
    }

    card.title.textContent = `${camera.id} (${camera.state})`;
    card.stats.textContent = formatStats(camera.frame);
    const frame = camera.frame;
    card.input.image.className = frame && frame.input && frame.input.kind === 'Feature' ? 'input feature' : 'input';
    showImage(card.input, frame ? frame.input : null,
      frame ? 'this frame kept no input image' : 'waiting for the first result');
    showImage(card.output, frame ? frame.output : null, 'waiting for the first result');
  }

  for (const [id, card] of cards) {
    if (!seen.has(id)) {
      card.section.remove();
      cards.delete(id);
    }
  }

  emptyElement.hidden = data.cameras.length > 0;
}

async function poll() {
  if (!pauseElement.checked) {
    try {
      const response = await fetch('/viewer/frames', { cache: 'no-store' });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }

      render(await response.json());
      statusElement.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      statusElement.textContent = `cannot reach the edge: ${error.message}`;
    }
  } else {
    statusElement.textContent = 'paused';
  }

  setTimeout(poll, POLL_INTERVAL_MS);
}

poll();
