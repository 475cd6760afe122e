(function () {
  'use strict';
  var blocks = Array.prototype.slice.call(document.querySelectorAll('[data-q]'));
  function values(i) {
    var out = [];
    document.querySelectorAll('[name="q' + i + '"]').forEach(function (el) {
      if (el.disabled) return;
      if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked) out.push(el.value); return; }
      if (el.tagName === 'SELECT') { Array.prototype.forEach.call(el.selectedOptions, function (o) { out.push(o.value); }); return; }
      out.push(el.value.trim());
    });
    return out;
  }
  function shown(b) { return !b.hidden; }
  function update() {
    blocks.forEach(function (b) {
      var c = b.getAttribute('data-cond');
      if (c === null) return;
      var ctl = document.querySelector('[data-q="' + c + '"]');
      var on = !!ctl && shown(ctl) && values(c).indexOf(b.getAttribute('data-answer')) >= 0;
      b.hidden = !on;
      b.querySelectorAll('input,select,textarea').forEach(function (el) { el.disabled = !on || el.hasAttribute('data-locked'); });
    });
  }
  function kinds() {
    document.querySelectorAll('[data-kind-form]').forEach(function (form) {
      var picked = form.querySelector('input[name="kind"]:checked');
      form.querySelectorAll('[data-kind]').forEach(function (g) {
        var on = !picked || g.getAttribute('data-kind') === picked.value;
        g.hidden = !on;
        g.querySelectorAll('input,select').forEach(function (el) { el.disabled = !on; });
      });
    });
  }
  document.addEventListener('change', function () { update(); kinds(); });
  document.addEventListener('input', update);
  update();
  kinds();
})();
