/**
 * The DOM half of the page script: reads the embedded JSON and builds the page
 * with createElement and textContent only (never innerHTML), so nothing a
 * service returned can become markup; links are relative paths checked again
 * here. Leaves `pendingCharts` (canvas + chart) for the chart half.
 * Plain ES2017 without template literals, kept as text because it runs in the page.
 */
export const clientDomSource = String.raw`
  var dataElement = document.getElementById('cutover-data');
  var model = JSON.parse(dataElement ? dataElement.textContent : '{}');
  var root = document.getElementById('report');
  var tones = { pass: true, fail: true, warn: true, inconclusive: true, neutral: true };
  var pendingCharts = [];

  function tone (value) { return tones[value] === true ? value : 'neutral'; }
  function el (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add (parent, child) { parent.appendChild(child); return child; }
  function cssColor (value) { return typeof value === 'string' && /^(#[0-9a-fA-F]{3,8}|rgba?\([0-9., ]+\))$/.test(value) ? value : '#6e7781'; }
  function safeHref (href) {
    if (typeof href !== 'string' || href === '') return null;
    if (/^\s*[a-zA-Z][a-zA-Z0-9+.-]*:/.test(href) || /^\s*[\/\\]/.test(href) || /[\u0000-\u001f]/.test(href)) return null;
    return href;
  }
  function pill (text, t) { return el('span', 'pill pill-' + tone(t), text); }
  function swatch (color) { var s = el('span', 'swatch'); s.style.backgroundColor = cssColor(color); return s; }

  function pct (value) { return typeof value === 'number' && isFinite(value) ? Math.max(0, Math.min(100, value)) : 0; }
  function renderCiBar (bar) {
    var box = el('span', 'ci');
    var track = add(box, el('span', 'ci-track'));
    var neutral = add(track, el('span', 'ci-neutral')); neutral.style.left = pct(bar.neutralPct) + '%';
    if (typeof bar.limitPct === 'number') { var limit = add(track, el('span', 'ci-limit')); limit.style.left = pct(bar.limitPct) + '%'; }
    var fill = add(track, el('span', 'ci-bar bg-' + tone(bar.tone)));
    fill.style.left = pct(bar.lowPct) + '%';
    fill.style.width = Math.max(0, pct(bar.highPct) - pct(bar.lowPct)) + '%';
    var dot = add(track, el('span', 'ci-dot bg-' + tone(bar.tone))); dot.style.left = pct(bar.estimatePct) + '%';
    track.setAttribute('role', 'img');
    track.setAttribute('aria-label', String(bar.label));
    track.setAttribute('title', String(bar.label));
    return box;
  }

  function renderCell (cell, column) {
    var td = el('td', (column && column.num) || cell.num ? 'num' : '');
    if (cell.mono) td.className += ' mono';
    if (cell.textTone) td.className += ' tone-' + tone(cell.textTone);
    if (cell.swatch) td.appendChild(swatch(cell.swatch));
    if (cell.ci) {
      var box = renderCiBar(cell.ci);
      add(box, el('span', 'ci-text', cell.text));
      td.appendChild(box);
    } else if (cell.tone) {
      td.appendChild(pill(cell.text, cell.tone));
    } else {
      td.appendChild(document.createTextNode(String(cell.text)));
    }
    return td;
  }

  function renderTable (block) {
    var frag = document.createDocumentFragment();
    if (block.title) add(frag, el('h3', '', block.title));
    var wrap = add(frag, el('div', 'table-wrap'));
    var table = add(wrap, el('table'));
    var columns = block.columns || [];
    var detail = -1;
    columns.forEach(function (column, i) { if (block.detailColumn && column.label === block.detailColumn) detail = i; });
    var head = add(add(table, el('thead')), el('tr'));
    columns.forEach(function (column, i) { if (i !== detail) add(head, el('th', column.num ? 'num' : '', column.label)); });
    var body = add(table, el('tbody'));
    (block.rows || []).forEach(function (row) {
      var tr = add(body, el('tr'));
      row.forEach(function (cell, i) { if (i !== detail) tr.appendChild(renderCell(cell, columns[i])); });
      var extra = detail >= 0 ? row[detail] : null;
      if (extra && extra.text) {
        tr.className = 'has-detail';
        var line = add(add(body, el('tr', 'detail')), el('td', '', extra.text));
        line.setAttribute('colspan', String(columns.length - 1));
      }
    });
    if (block.note) add(frag, el('p', 'text', block.note));
    return frag;
  }

  function renderFacts (block) {
    var frag = document.createDocumentFragment();
    if (block.title) add(frag, el('h3', '', block.title));
    var grid = add(frag, el('div', 'facts'));
    (block.items || []).forEach(function (item) {
      var fact = add(grid, el('div', 'fact'));
      add(fact, el('div', 'label', item.label));
      add(fact, el('div', 'value' + (item.tone ? ' tone-' + tone(item.tone) : ''), item.value));
    });
    return frag;
  }

  function renderCharts (block) {
    var grid = el('div', 'charts');
    (block.charts || []).forEach(function (chart) {
      var card = add(grid, el('figure', 'chart'));
      card.style.margin = '0';
      add(card, el('h3', '', chart.title));
      if (chart.note) add(card, el('p', 'chart-note', chart.note));
      var box = add(card, el('div', 'canvas-box'));
      var canvas = add(box, el('canvas'));
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', String(chart.title));
      canvas.setAttribute('data-chart', String(chart.id));
      pendingCharts.push({ canvas: canvas, chart: chart });
    });
    return grid;
  }

  function renderLinks (block) {
    var frag = document.createDocumentFragment();
    if (block.title) add(frag, el('h3', '', block.title));
    var list = add(frag, el('ul', 'links'));
    (block.links || []).forEach(function (link) {
      var item = add(list, el('li'));
      var href = safeHref(link.href);
      if (href === null) { add(item, el('span', '', link.label)); return; }
      var a = add(item, el('a', '', link.label));
      a.setAttribute('href', href);
      a.setAttribute('rel', 'noopener noreferrer');
      if (link.note) add(item, el('span', 'link-note', link.note));
    });
    return frag;
  }

  function renderSamples (block) {
    var frag = document.createDocumentFragment();
    add(frag, el('h3', '', block.title));
    (block.samples || []).forEach(function (sample) {
      var box = add(frag, el('div', 'sample'));
      var head = add(box, el('div', 'sample-head'));
      add(head, el('span', 'mono', sample.request));
      head.appendChild(document.createTextNode('  field '));
      add(head, el('span', 'mono', sample.field));
      var answers = add(box, el('div', 'answers'));
      (sample.answers || []).forEach(function (answer) {
        var col = add(answers, el('div', 'answer tone-' + tone(answer.tone)));
        var top = add(col, el('div', 'answer-head'));
        add(top, el('span', '', answer.label));
        add(top, pill('HTTP ' + answer.status, answer.tone === 'neutral' ? 'neutral' : answer.tone));
        if (answer.headers) add(col, el('pre', 'headers', answer.headers));
        add(col, el('pre', 'body', answer.body === '' ? '(empty body)' : answer.body));
      });
    });
    return frag;
  }

  function renderCards (block) {
    var grid = el('div', 'cards');
    (block.cards || []).forEach(function (card) {
      var box = add(grid, el('div', 'subcard'));
      var title = add(box, el('h3'));
      if (card.swatch) title.appendChild(swatch(card.swatch));
      title.appendChild(document.createTextNode(String(card.title)));
      if (card.badge) title.appendChild(pill(card.badge.text, card.badge.tone));
      (card.blocks || []).forEach(function (inner) { box.appendChild(renderBlock(inner)); });
    });
    return grid;
  }

  function renderBlock (block) {
    switch (block.kind) {
      case 'table': return renderTable(block);
      case 'facts': return renderFacts(block);
      case 'charts': return renderCharts(block);
      case 'text': return el('p', 'text' + (block.tone ? ' tone-' + tone(block.tone) : ''), block.text);
      case 'pre': {
        var frag = document.createDocumentFragment();
        if (block.title) add(frag, el('h3', '', block.title));
        add(frag, el('pre', 'block', block.text));
        return frag;
      }
      case 'links': return renderLinks(block);
      case 'cards': return renderCards(block);
      case 'samples': return renderSamples(block);
      default: return document.createTextNode('');
    }
  }

  // header: verdict first, then notes, meta and the table of contents
  var head = add(root, el('div', 'head'));
  var titles = add(head, el('div'));
  add(titles, el('div', 'brand', model.brand || 'cutover report'));
  add(titles, el('h1', '', model.title));
  if (model.subtitle) add(titles, el('p', 'subtitle', model.subtitle));
  var legend = add(head, el('div', 'legend'));
  (model.targets || []).forEach(function (target) {
    var item = add(legend, el('span'));
    item.appendChild(swatch(target.color));
    item.appendChild(document.createTextNode(String(target.name)));
  });
  var verdict = add(root, el('section', 'verdict verdict-' + tone(model.verdict)));
  verdict.id = 'verdict';
  var word = add(verdict, el('div'));
  add(word, el('div', 'verdict-label', 'verdict'));
  add(word, el('div', 'verdict-word', model.verdictText));
  add(verdict, el('div', 'verdict-text', model.headline));
  if ((model.notes || []).length > 0) {
    var notes = add(root, el('div', 'notes'));
    model.notes.forEach(function (note) { add(notes, el('div', 'note note-' + tone(note.tone), note.text)); });
  }
  var meta = add(root, el('div', 'meta'));
  (model.meta || []).forEach(function (fact) {
    var item = add(meta, el('span'));
    item.appendChild(document.createTextNode(String(fact.label) + ' '));
    add(item, el('b', '', fact.value));
  });
  var toc = add(root, el('nav', 'toc'));
  (model.sections || []).forEach(function (section, index) {
    var id = 'section-' + index;
    var link = add(toc, el('a', '', section.title));
    link.setAttribute('href', '#' + id);
    var card = add(root, el('section', 'card'));
    card.id = id;
    card.setAttribute('data-section', String(section.id));
    add(card, el('h2', '', section.title));
    (section.blocks || []).forEach(function (block) { card.appendChild(renderBlock(block)); });
  });
  add(root, el('footer', '', 'Generated by ' + model.generatedBy + ' — a self-contained file: no network needed.'));
`
