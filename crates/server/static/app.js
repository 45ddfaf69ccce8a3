document.addEventListener('keydown', function (e) {
  var box = document.querySelector('form.search input[type=search]');
  if (e.key === '/' && box && document.activeElement !== box) { e.preventDefault(); box.focus(); box.select(); }
});
// The document page: the provision a link points to is marked by :target; bring it
// into view below the header once the page has laid out.
window.addEventListener('load', function () {
  if (location.hash.length > 1) {
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (el) { el.scrollIntoView({ block: 'start' }); }
  }
});
