// diagkit flame graph: draws the profile embedded in #profile-data. Everything taken from
// the profile reaches the page through textContent or attribute values, never as markup.
(() => {
	'use strict';
	const ROW = 17;
	const data = JSON.parse(document.getElementById('profile-data').textContent);
	const graph = document.getElementById('graph');
	const tip = document.getElementById('tip');
	const status = document.getElementById('status');
	const search = document.getElementById('search');
	const labelSelect = document.getElementById('label');
	const valueSelect = document.getElementById('value');
	const reset = document.getElementById('reset');

	const state = { value: data.value, label: -1, query: '', zoomPath: [] };
	// with baseSamples the page compares two profiles: width is the mean of a frame's shares
	// in both, colour the change of its share
	const diff = Array.isArray(data.baseSamples);
	let root;
	let zoom;
	let drawn = [];
	let tipNode = null;

	function addOption(select, value, text) {
		const option = document.createElement('option');
		option.value = String(value);
		option.textContent = text;
		select.appendChild(option);
	}

	data.valueTypes.forEach((type, i) => addOption(valueSelect, i, type.type + ' (' + type.unit + ')'));
	addOption(labelSelect, -1, 'all samples');
	data.labels.forEach((label, i) => addOption(labelSelect, i, label));
	labelSelect.disabled = data.labels.length === 0;

	function group(n) {
		return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	}

	function format(v) {
		const unit = data.valueTypes[state.value].unit;
		const abs = Math.abs(v);
		if (unit === 'nanoseconds') {
			if (abs >= 1e9) return (v / 1e9).toFixed(2) + ' s';
			if (abs >= 1e6) return (v / 1e6).toFixed(2) + ' ms';
			if (abs >= 1e3) return (v / 1e3).toFixed(2) + ' \u00b5s';
			return v + ' ns';
		}
		if (unit === 'bytes') {
			const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
			let i = 0;
			let x = v;
			while (Math.abs(x) >= 1024 && i < units.length - 1) {
				x /= 1024;
				i++;
			}
			return (i === 0 ? String(x) : x.toFixed(2)) + ' ' + units[i];
		}
		return group(v) + (unit === 'count' ? '' : ' ' + unit);
	}

	function percent(part, whole) {
		return whole > 0 ? (100 * part / whole).toFixed(2) + '%' : '-';
	}

	// The call tree of the samples that pass the label filter, children hottest first.
	function build() {
		const top = { name: 'all', key: -1, value: 0, self: 0, base: 0, baseSelf: 0, depth: 0, parent: null,
			children: new Map() };
		add(top, data.samples, 'value', 'self');
		if (diff) add(top, data.baseSamples, 'base', 'baseSelf');
		const todo = [top];
		while (todo.length) {
			const node = todo.pop();
			node.size = diff ? (share(node.value, top.value) + share(node.base, top.base)) / 2 : node.value;
			node.change = diff ? share(node.value, top.value) - share(node.base, top.base) : 0;
			node.kids = [...node.children.values()].sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
			todo.push(...node.kids);
		}
		return top;
	}

	function add(top, samples, total, self) {
		for (const [set, values, stack] of samples) {
			const v = values[state.value];
			if (v === 0 || (state.label >= 0 && !data.labelSets[set].includes(state.label))) continue;
			let node = top;
			node[total] += v;
			for (const key of stack) {
				let child = node.children.get(key);
				if (!child) {
					child = { name: data.names[key], key, value: 0, self: 0, base: 0, baseSelf: 0, depth: node.depth + 1,
						parent: node, children: new Map() };
					node.children.set(key, child);
				}
				child[total] += v;
				node = child;
			}
			node[self] += v;
		}
	}

	function share(part, whole) {
		return whole > 0 ? part / whole : 0;
	}

	function pathOf(node) {
		const path = [];
		for (let n = node; n.parent; n = n.parent) path.unshift(n.key);
		return path;
	}

	function nodeAt(path) {
		let node = root;
		for (const key of path) {
			node = node.children.get(key);
			if (!node) return root;
		}
		return node;
	}

	function draw(fragment, node, x, width, ancestor) {
		const el = document.createElement('div');
		el.className = ancestor ? 'frame ancestor' : 'frame';
		el.dataset.index = String(drawn.length);
		el.style.left = (100 * x) + '%';
		el.style.width = (100 * width) + '%';
		el.style.top = (node.depth * ROW) + 'px';
		el.style.backgroundColor = color(node);
		el.textContent = node.name;
		fragment.appendChild(el);
		drawn.push(node);
	}

	// Warm colours from a hash of the name, so a function keeps its colour across views.
	function color(node) {
		if (node.key < 0) return 'hsl(0, 0%, 80%)';
		if (diff) {
			// a change of five points of the total or more is full colour
			const strength = Math.min(1, Math.abs(node.change) / 0.05);
			if (strength < 0.02) return 'hsl(0, 0%, 85%)';
			return 'hsl(' + (node.change > 0 ? 0 : 215) + ', 75%, ' + Math.round(88 - 38 * strength) + '%)';
		}
		let h = 0;
		for (let i = 0; i < node.name.length; i++) h = (h * 31 + node.name.charCodeAt(i)) | 0;
		const jdk = /^(java|javax|jdk|sun|com\.sun)\./.test(node.name);
		const hue = jdk ? 30 + (h & 15) : (h >>> 4) % 50;
		return 'hsl(' + hue + ', ' + (jdk ? 55 : 75 + (h >>> 12) % 20) + '%, ' + (jdk ? 70 : 58 + (h >>> 8) % 12) + '%)';
	}

	function render() {
		graph.textContent = '';
		drawn = [];
		tipNode = null;
		reset.disabled = zoom === root;
		if (root.size === 0) {
			const empty = document.createElement('p');
			empty.className = 'empty';
			empty.textContent = 'No samples' + (state.label >= 0 ? ' carry ' + data.labels[state.label] : '') + '.';
			graph.appendChild(empty);
			graph.style.height = '';
			update();
			return;
		}
		const fragment = document.createDocumentFragment();
		for (let n = zoom.parent; n; n = n.parent) draw(fragment, n, 0, 1, true);
		// frames narrower than half a pixel are left out, with their callees
		const min = 0.5 / Math.max(graph.clientWidth, 300);
		let depth = zoom.depth;
		const todo = [[zoom, 0]];
		while (todo.length) {
			const [node, x] = todo.pop();
			const width = node.size / zoom.size;
			if (width < min) continue;
			draw(fragment, node, x, width, false);
			depth = Math.max(depth, node.depth);
			let childX = x;
			for (const child of node.kids) {
				todo.push([child, childX]);
				childX += child.size / zoom.size;
			}
		}
		graph.style.height = ((depth + 1) * ROW) + 'px';
		graph.appendChild(fragment);
		update();
	}

	function matches(node) {
		return state.query !== '' && node.key >= 0 && node.name.toLowerCase().includes(state.query);
	}

	// Highlights matching frames and says what the view holds.
	function update() {
		for (const el of graph.children) {
			if (el.dataset.index) el.classList.toggle('match', matches(drawn[Number(el.dataset.index)]));
		}
		const parts = [];
		if (state.label >= 0) {
			parts.push(data.labels[state.label] + ': ' + format(root.value) + ' of ' + format(totalOfAll()) + ' ('
				+ percent(root.value, totalOfAll()) + ')');
		}
		if (state.query !== '') {
			let matched = 0;
			const todo = [root];
			while (todo.length) {
				const node = todo.pop();
				if (matches(node)) matched += node.value;
				else todo.push(...node.kids);
			}
			parts.push('matched ' + format(matched) + ' (' + percent(matched, root.value) + ')');
		}
		status.textContent = parts.join('; ');
		const fragment = new URLSearchParams();
		if (state.label >= 0) fragment.set('label', data.labels[state.label]);
		if (state.query !== '') fragment.set('search', search.value);
		if (state.value !== data.value) fragment.set('value', data.valueTypes[state.value].type);
		const hash = fragment.toString();
		if (hash !== location.hash.slice(1)) history.replaceState(null, '', hash ? '#' + hash : location.pathname);
	}

	function totalOfAll() {
		let total = 0;
		for (const sample of data.samples) total += sample[1][state.value];
		return total;
	}

	function rebuild() {
		root = build();
		zoom = nodeAt(state.zoomPath);
		render();
	}

	function zoomTo(node) {
		zoom = node;
		state.zoomPath = pathOf(node);
		tip.hidden = true;
		render();
	}

	function frameAt(event) {
		const el = event.target.closest('.frame');
		return el ? drawn[Number(el.dataset.index)] : null;
	}

	function line(text, bold) {
		const el = document.createElement(bold ? 'b' : 'div');
		el.textContent = text;
		tip.appendChild(el);
	}

	graph.addEventListener('mousemove', (event) => {
		const node = frameAt(event);
		if (!node) {
			tip.hidden = true;
			return;
		}
		if (tipNode !== node) {
			tipNode = node;
			tip.textContent = '';
			const type = data.valueTypes[state.value].type;
			line(node.name, true);
			line(type + ': ' + format(node.value) + ' (' + percent(node.value, root.value) + ' of '
				+ (state.label >= 0 ? data.labels[state.label] : 'total')
				+ (zoom !== root ? ', ' + percent(node.value, zoom.value) + ' of the zoomed frame' : '') + ')');
			line('self: ' + format(node.self) + ' (' + percent(node.self, root.value) + ')');
			if (diff) {
				line('before: ' + format(node.base) + ' (' + percent(node.base, root.base) + ' of the total then), self '
					+ format(node.baseSelf));
				line('change: ' + (node.change >= 0 ? '+' : '') + (100 * node.change).toFixed(2) + ' points of the total');
			}
		}
		tip.hidden = false;
		const x = Math.min(event.clientX + 12, window.innerWidth - tip.offsetWidth - 4);
		const y = event.clientY + 16 + tip.offsetHeight > window.innerHeight ? event.clientY - tip.offsetHeight - 8
			: event.clientY + 16;
		tip.style.left = Math.max(0, x) + 'px';
		tip.style.top = Math.max(0, y) + 'px';
	});
	graph.addEventListener('mouseleave', () => {
		tip.hidden = true;
	});
	graph.addEventListener('click', (event) => {
		const node = frameAt(event);
		if (node) zoomTo(node);
	});
	reset.addEventListener('click', () => zoomTo(root));
	document.addEventListener('keydown', (event) => {
		if (event.key === 'Escape') zoomTo(root);
	});
	search.addEventListener('input', () => {
		state.query = search.value.trim().toLowerCase();
		update();
	});
	labelSelect.addEventListener('change', () => {
		state.label = Number(labelSelect.value);
		rebuild();
	});
	valueSelect.addEventListener('change', () => {
		state.value = Number(valueSelect.value);
		rebuild();
	});
	let pending = false;
	window.addEventListener('resize', () => {
		if (!pending) {
			pending = true;
			requestAnimationFrame(() => {
				pending = false;
				render();
			});
		}
	});

	const initial = new URLSearchParams(location.hash.slice(1));
	const label = data.labels.indexOf(initial.get('label'));
	const value = data.valueTypes.findIndex((type) => type.type === initial.get('value'));
	state.label = label;
	state.value = value >= 0 ? value : data.value;
	search.value = initial.get('search') || '';
	state.query = search.value.trim().toLowerCase();
	labelSelect.value = String(state.label);
	valueSelect.value = String(state.value);
	rebuild();
})();
