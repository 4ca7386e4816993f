/**
 * The chart half of the page script: expands each chart's flat points, adds the
 * legend filter, tooltips and the phase-band plugin (the same drawing as the
 * PNGs' band-plugin.ts), creates the charts, and sets `window.__chartsDrawn`
 * (ms since navigation start) once every chart has drawn. Runs after the DOM
 * half, in the same function scope (uses `pendingCharts`, `root`, `el`, `add`, `cssColor`).
 */
export const clientChartsSource = String.raw`  // charts: phase bands and event markers are drawn by a small plugin, the same drawing as the PNGs
  var bandsPlugin = {
    id: 'cutoverBands',
    beforeDatasetsDraw: function (chart, args, options) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      if (!x || !options || !options.bands) return;
      ctx.save();
      options.bands.forEach(function (band) {
        var from = Math.max(area.left, x.getPixelForValue(band.from));
        var to = Math.min(area.right, x.getPixelForValue(band.to));
        if (to <= from) return;
        ctx.fillStyle = cssColor(band.color);
        ctx.fillRect(from, area.top, to - from, area.bottom - area.top);
      });
      ctx.restore();
    },
    afterDatasetsDraw: function (chart, args, options) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      if (!x || !options) return;
      ctx.save();
      ctx.font = '11px sans-serif';
      ctx.textBaseline = 'top';
      (options.bands || []).forEach(function (band) {
        var from = Math.max(area.left, x.getPixelForValue(band.from));
        var to = Math.min(area.right, x.getPixelForValue(band.to));
        var label = String(band.label);
        if (to - from < ctx.measureText(label).width + 8) return;
        ctx.fillStyle = 'rgba(87,96,106,0.85)';
        ctx.fillText(label, from + 4, area.top + 4);
      });
      (options.markers || []).forEach(function (marker) {
        var at = x.getPixelForValue(marker.x);
        if (at < area.left || at > area.right) return;
        var label = String(marker.label);
        ctx.strokeStyle = cssColor(marker.color);
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(at, area.top); ctx.lineTo(at, area.bottom); ctx.stroke();
        ctx.fillStyle = cssColor(marker.color);
        ctx.fillText(label, Math.min(at + 4, area.right - ctx.measureText(label).width - 2), area.top + 18);
      });
      ctx.restore();
    }
  };
  var drawn = 0;
  var total = pendingCharts.length;
  function allDrawn () {
    window.__chartsDrawn = performance.now();
    document.documentElement.setAttribute('data-charts-drawn', String(total));
  }
  var drawnPlugin = {
    id: 'cutoverDrawn',
    afterRender: function (chart) {
      if (chart.$cutoverDrawn) return;
      chart.$cutoverDrawn = true;
      drawn++;
      if (drawn === total) allDrawn();
    }
  };
  function short (value) {
    if (typeof value !== 'number' || !isFinite(value)) return '–';
    return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
  }
  if (total === 0) allDrawn();
  if (total > 0 && typeof window.Chart !== 'function') {
    add(root, el('p', 'note note-fail', 'chart.js did not load, so the charts cannot be drawn.'));
    allDrawn();
  }
  if (typeof window.Chart === 'function') {
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    pendingCharts.forEach(function (entry) {
      var config = entry.chart.config;
      config.data.datasets.forEach(function (dataset, i) {
        var flat = entry.chart.points[i] || [];
        var points = new Array(flat.length >> 1);
        for (var k = 0, j = 0; j + 1 < flat.length; j += 2, k++) points[k] = { x: flat[j], y: flat[j + 1] };
        dataset.data = points;
      });
      var yUnit = config.options.scales && config.options.scales.y && config.options.scales.y.title ? String(config.options.scales.y.title.text) : '';
      var xUnit = config.options.scales && config.options.scales.x && config.options.scales.x.title ? String(config.options.scales.x.title.text) : '';
      config.options.plugins.legend.labels.filter = function (item, data) {
        var dataset = data.datasets[item.datasetIndex];
        return !(dataset && dataset.hideInLegend);
      };
      config.options.plugins.tooltip.callbacks = {
        title: function (items) { return items.length > 0 ? short(items[0].parsed.x) + ' ' + xUnit.replace(' since start', '') : ''; },
        label: function (item) { return String(item.dataset.label) + ': ' + short(item.parsed.y) + ' ' + yUnit; }
      };
      config.plugins = [bandsPlugin, drawnPlugin];
      try {
        new window.Chart(entry.canvas, config);
      } catch (error) {
        drawn++;
        entry.canvas.parentNode.appendChild(el('p', 'note note-fail', 'This chart could not be drawn: ' + (error && error.message ? error.message : String(error))));
        if (drawn === total) allDrawn();
      }
    });
  }
`
