//! Evaluating an [`XExpr`] over a roxmltree document: node-sets in document order, XPath 1.0's
//! conversions (string-value, number, boolean) and comparison rules (a node-set compares
//! existentially), and the core function library.

use std::cmp::Ordering;

use roxmltree::{Node, NodeType};

use super::parser::{Axis, Op, Path, Step, Test, XExpr};

/// A node: a tree node, or an element's attribute (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XNode<'a, 'i> {
    Node(Node<'a, 'i>),
    Attr(Node<'a, 'i>, usize),
}

impl<'a, 'i> XNode<'a, 'i> {
    fn key(&self) -> (usize, usize) {
        match self {
            XNode::Node(n) => (n.id().get_usize(), 0),
            XNode::Attr(n, i) => (n.id().get_usize(), i + 1),
        }
    }

    fn node(&self) -> Option<Node<'a, 'i>> {
        match self {
            XNode::Node(n) => Some(*n),
            XNode::Attr(..) => None,
        }
    }

    /// The string-value.
    pub fn string(&self) -> String {
        match self {
            XNode::Attr(n, i) => n.attributes().nth(*i).map(|a| a.value().to_owned()).unwrap_or_default(),
            XNode::Node(n) => match n.node_type() {
                NodeType::Root | NodeType::Element => {
                    n.descendants().filter(Node::is_text).filter_map(|t| t.text()).collect()
                }
                NodeType::PI => n.pi().and_then(|p| p.value).unwrap_or_default().to_owned(),
                NodeType::Text | NodeType::Comment => n.text().unwrap_or_default().to_owned(),
            },
        }
    }

    /// The local name and the qualified name (`prefix:local` when the prefix is declared).
    fn names(&self) -> (String, String) {
        let (node, local, ns) = match self {
            XNode::Attr(n, i) => match n.attributes().nth(*i) {
                Some(a) => (*n, a.name().to_owned(), a.namespace()),
                None => return (String::new(), String::new()),
            },
            XNode::Node(n) if n.is_element() => (*n, n.tag_name().name().to_owned(), n.tag_name().namespace()),
            XNode::Node(n) if n.is_pi() => {
                let target = n.pi().map(|p| p.target.to_owned()).unwrap_or_default();
                return (target.clone(), target);
            }
            XNode::Node(_) => return (String::new(), String::new()),
        };
        let qualified = match ns.and_then(|ns| node.lookup_prefix(ns)) {
            Some(p) if !p.is_empty() => format!("{p}:{local}"),
            _ => local.clone(),
        };
        (local, qualified)
    }

    fn namespace(&self) -> Option<&'a str> {
        match self {
            XNode::Attr(n, i) => n.attributes().nth(*i).and_then(|a| a.namespace()),
            XNode::Node(n) if n.is_element() => n.tag_name().namespace(),
            XNode::Node(_) => None,
        }
    }
}

/// A value.
#[derive(Debug, Clone)]
pub enum XValue<'a, 'i> {
    Nodes(Vec<XNode<'a, 'i>>),
    Num(f64),
    Str(String),
    Bool(bool),
}

impl XValue<'_, '_> {
    pub fn string(&self) -> String {
        match self {
            XValue::Nodes(nodes) => nodes.first().map(XNode::string).unwrap_or_default(),
            XValue::Num(n) => number_text(*n),
            XValue::Str(s) => s.clone(),
            XValue::Bool(b) => b.to_string(),
        }
    }

    pub fn number(&self) -> f64 {
        match self {
            XValue::Num(n) => *n,
            XValue::Bool(b) => f64::from(u8::from(*b)),
            other => to_number(&other.string()),
        }
    }

    pub fn boolean(&self) -> bool {
        match self {
            XValue::Nodes(nodes) => !nodes.is_empty(),
            XValue::Num(n) => *n != 0.0 && !n.is_nan(),
            XValue::Str(s) => !s.is_empty(),
            XValue::Bool(b) => *b,
        }
    }
}

fn to_number(text: &str) -> f64 {
    let t = text.trim();
    let valid = !t.is_empty()
        && t.strip_prefix('-').unwrap_or(t).chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.matches('.').count() <= 1;
    if valid {
        t.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// A number as XPath's `string()` writes it (integers without a fraction).
pub fn number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// The evaluation context: the node, its position (1-based) and the context size.
#[derive(Clone, Copy)]
struct Ctx<'a, 'i> {
    node: XNode<'a, 'i>,
    position: usize,
    size: usize,
}

/// Evaluates `expr` with the document's root as the context node.
pub fn evaluate<'a, 'i>(expr: &XExpr, root: Node<'a, 'i>) -> Result<XValue<'a, 'i>, String> {
    eval(expr, Ctx { node: XNode::Node(root), position: 1, size: 1 }, root)
}

fn eval<'a, 'i>(expr: &XExpr, c: Ctx<'a, 'i>, root: Node<'a, 'i>) -> Result<XValue<'a, 'i>, String> {
    Ok(match expr {
        XExpr::Or(a, b) => XValue::Bool(eval(a, c, root)?.boolean() || eval(b, c, root)?.boolean()),
        XExpr::And(a, b) => XValue::Bool(eval(a, c, root)?.boolean() && eval(b, c, root)?.boolean()),
        XExpr::Compare(op, a, b) => XValue::Bool(compare(*op, &eval(a, c, root)?, &eval(b, c, root)?)),
        XExpr::Arith(op, a, b) => {
            let (x, y) = (eval(a, c, root)?.number(), eval(b, c, root)?.number());
            XValue::Num(match op {
                Op::Add => x + y,
                Op::Sub => x - y,
                Op::Mul => x * y,
                Op::Div => x / y,
                _ => x % y,
            })
        }
        XExpr::Negate(a) => XValue::Num(-eval(a, c, root)?.number()),
        XExpr::Union(a, b) => {
            let (XValue::Nodes(mut x), XValue::Nodes(y)) = (eval(a, c, root)?, eval(b, c, root)?) else {
                return Err("'|' joins node-sets only".into());
            };
            x.extend(y);
            XValue::Nodes(sorted(x))
        }
        XExpr::Literal(s) => XValue::Str(s.clone()),
        XExpr::Number(n) => XValue::Num(*n),
        XExpr::Call(name, args) => call(name, args, c, root)?,
        XExpr::Filter(primary, predicates, steps) => {
            let XValue::Nodes(nodes) = eval(primary, c, root)? else {
                return Err("predicates and paths apply to node-sets only".into());
            };
            let mut nodes = nodes;
            for p in predicates {
                nodes = filter(nodes, p, root)?;
            }
            XValue::Nodes(walk(nodes, steps, root)?)
        }
        XExpr::Path(path) => XValue::Nodes(location(path, c, root)?),
    })
}

fn location<'a, 'i>(path: &Path, c: Ctx<'a, 'i>, root: Node<'a, 'i>) -> Result<Vec<XNode<'a, 'i>>, String> {
    let start = if path.absolute { XNode::Node(root) } else { c.node };
    walk(vec![start], &path.steps, root)
}

fn walk<'a, 'i>(
    mut nodes: Vec<XNode<'a, 'i>>,
    steps: &[Step],
    root: Node<'a, 'i>,
) -> Result<Vec<XNode<'a, 'i>>, String> {
    for step in steps {
        let mut next = Vec::new();
        for node in &nodes {
            let mut found: Vec<XNode<'a, 'i>> =
                axis(*node, step.axis).into_iter().filter(|n| test(n, &step.test, step.axis)).collect();
            for p in &step.predicates {
                found = filter(found, p, root)?;
            }
            next.extend(found);
        }
        nodes = sorted(next);
    }
    Ok(nodes)
}

/// Keeps the nodes for which the predicate holds (a number compares with the position).
fn filter<'a, 'i>(
    nodes: Vec<XNode<'a, 'i>>,
    predicate: &XExpr,
    root: Node<'a, 'i>,
) -> Result<Vec<XNode<'a, 'i>>, String> {
    let size = nodes.len();
    let mut out = Vec::new();
    for (i, node) in nodes.into_iter().enumerate() {
        let c = Ctx { node, position: i + 1, size };
        let keep = match eval(predicate, c, root)? {
            #[allow(clippy::cast_precision_loss)]
            XValue::Num(n) => n == (i + 1) as f64,
            other => other.boolean(),
        };
        if keep {
            out.push(node);
        }
    }
    Ok(out)
}

/// The nodes of an axis, in axis order (reverse axes nearest first).
fn axis<'a, 'i>(node: XNode<'a, 'i>, axis: Axis) -> Vec<XNode<'a, 'i>> {
    let n = match node {
        XNode::Node(n) => n,
        XNode::Attr(owner, _) => {
            return match axis {
                Axis::Parent => vec![XNode::Node(owner)],
                Axis::Itself => vec![node],
                Axis::Ancestor | Axis::AncestorOrSelf => {
                    let mut v: Vec<_> = if axis == Axis::AncestorOrSelf { vec![node] } else { Vec::new() };
                    v.extend(owner.ancestors().map(XNode::Node));
                    v
                }
                _ => Vec::new(),
            };
        }
    };
    let wrap = |it: &mut dyn Iterator<Item = Node<'a, 'i>>| it.map(XNode::Node).collect::<Vec<_>>();
    match axis {
        Axis::Child => wrap(&mut n.children()),
        Axis::Descendant => wrap(&mut n.descendants().skip(1)),
        Axis::DescendantOrSelf => wrap(&mut n.descendants()),
        Axis::Parent => wrap(&mut n.parent().into_iter()),
        Axis::Ancestor => wrap(&mut n.ancestors().skip(1)),
        Axis::AncestorOrSelf => wrap(&mut n.ancestors()),
        Axis::FollowingSibling => wrap(&mut n.next_siblings().skip(1)),
        Axis::PrecedingSibling => wrap(&mut n.prev_siblings().skip(1)),
        Axis::Following => {
            let after = n.descendants().next_back().map_or(n.id().get_usize(), |d| d.id().get_usize());
            wrap(&mut n.document().descendants().filter(|d| d.id().get_usize() > after))
        }
        Axis::Preceding => {
            let ancestors: Vec<usize> = n.ancestors().map(|a| a.id().get_usize()).collect();
            let mut v = wrap(
                &mut n
                    .document()
                    .descendants()
                    .filter(|d| d.id().get_usize() < n.id().get_usize() && !ancestors.contains(&d.id().get_usize())),
            );
            v.reverse();
            v
        }
        Axis::Attribute => (0..n.attributes().len()).map(|i| XNode::Attr(n, i)).collect(),
        Axis::Itself => vec![node],
        Axis::Namespace => Vec::new(),
    }
}

fn test(node: &XNode<'_, '_>, test: &Test, axis: Axis) -> bool {
    let principal = |n: &XNode<'_, '_>| match n {
        XNode::Attr(..) => axis == Axis::Attribute,
        XNode::Node(n) => n.is_element() && axis != Axis::Attribute,
    };
    match test {
        Test::Node => true,
        Test::Text => node.node().is_some_and(|n| n.is_text()),
        Test::Comment => node.node().is_some_and(|n| n.is_comment()),
        Test::Pi(target) => node.node().is_some_and(|n| {
            n.is_pi() && target.as_ref().is_none_or(|t| n.pi().is_some_and(|p| p.target == t.as_str()))
        }),
        Test::Any => principal(node),
        Test::AnyIn(prefix) => principal(node) && node.names().1.starts_with(&format!("{prefix}:")),
        Test::Name(name) => {
            if !principal(node) {
                return false;
            }
            let (local, qualified) = node.names();
            if name.contains(':') {
                qualified == *name
            } else {
                // An unprefixed name test matches names in no namespace (XPath 1.0 5.2).
                local == *name && node.namespace().is_none()
            }
        }
    }
}

fn sorted<'a, 'i>(mut nodes: Vec<XNode<'a, 'i>>) -> Vec<XNode<'a, 'i>> {
    nodes.sort_by_key(XNode::key);
    nodes.dedup_by_key(|n| n.key());
    nodes
}

fn compare(op: Op, a: &XValue<'_, '_>, b: &XValue<'_, '_>) -> bool {
    match (a, b) {
        (XValue::Nodes(x), XValue::Nodes(y)) => {
            x.iter().any(|p| y.iter().any(|q| compare_atoms(op, &XValue::Str(p.string()), &XValue::Str(q.string()))))
        }
        (XValue::Nodes(x), other) => x.iter().any(|p| compare_atoms(op, &atom(p, other), other)),
        (other, XValue::Nodes(y)) => y.iter().any(|q| compare_atoms(op, other, &atom(q, other))),
        _ => compare_atoms(op, a, b),
    }
}

/// A node as the type of what it is compared with.
fn atom<'a, 'i>(node: &XNode<'a, 'i>, other: &XValue<'_, '_>) -> XValue<'a, 'i> {
    match other {
        XValue::Num(_) => XValue::Num(to_number(&node.string())),
        XValue::Bool(_) => XValue::Bool(true),
        _ => XValue::Str(node.string()),
    }
}

fn compare_atoms(op: Op, a: &XValue<'_, '_>, b: &XValue<'_, '_>) -> bool {
    match op {
        Op::Eq | Op::Ne => {
            let equal = match (a, b) {
                (XValue::Bool(_), _) | (_, XValue::Bool(_)) => a.boolean() == b.boolean(),
                (XValue::Num(_), _) | (_, XValue::Num(_)) => a.number() == b.number(),
                _ => a.string() == b.string(),
            };
            equal == (op == Op::Eq)
        }
        _ => {
            let ordering = a.number().partial_cmp(&b.number());
            match op {
                Op::Lt => ordering == Some(Ordering::Less),
                Op::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
                Op::Gt => ordering == Some(Ordering::Greater),
                _ => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
            }
        }
    }
}

fn call<'a, 'i>(name: &str, args: &[XExpr], c: Ctx<'a, 'i>, root: Node<'a, 'i>) -> Result<XValue<'a, 'i>, String> {
    let arg = |i: usize| -> Result<XValue<'a, 'i>, String> {
        args.get(i).map_or_else(
            || Err(format!("the XPath function {name}() is missing argument {}", i + 1)),
            |a| eval(a, c, root),
        )
    };
    let text = |i: usize| -> Result<String, String> {
        if args.is_empty() && i == 0 {
            Ok(c.node.string())
        } else {
            arg(i).map(|v| v.string())
        }
    };
    let nodes = |i: usize| -> Result<Vec<XNode<'a, 'i>>, String> {
        match args.get(i) {
            None => Ok(vec![c.node]),
            Some(_) => match arg(i)? {
                XValue::Nodes(n) => Ok(n),
                _ => Err(format!("the XPath function {name}() takes a node-set")),
            },
        }
    };
    #[allow(clippy::cast_precision_loss)]
    Ok(match name {
        "last" => XValue::Num(c.size as f64),
        "position" => XValue::Num(c.position as f64),
        "count" => XValue::Num(nodes(0)?.len() as f64),
        "local-name" => XValue::Str(nodes(0)?.first().map(|n| n.names().0).unwrap_or_default()),
        "name" => XValue::Str(nodes(0)?.first().map(|n| n.names().1).unwrap_or_default()),
        "namespace-uri" => XValue::Str(nodes(0)?.first().and_then(XNode::namespace).unwrap_or_default().to_owned()),
        "string" => XValue::Str(text(0)?),
        "concat" => XValue::Str((0..args.len()).map(text).collect::<Result<Vec<_>, _>>()?.concat()),
        "starts-with" => XValue::Bool(text(0)?.starts_with(&text(1)?)),
        "contains" => XValue::Bool(text(0)?.contains(&text(1)?)),
        "substring-before" => {
            let (s, t) = (text(0)?, text(1)?);
            XValue::Str(s.find(&t).and_then(|i| s.get(..i)).unwrap_or_default().to_owned())
        }
        "substring-after" => {
            let (s, t) = (text(0)?, text(1)?);
            XValue::Str(s.find(&t).and_then(|i| s.get(i + t.len()..)).unwrap_or_default().to_owned())
        }
        "substring" => {
            let s: Vec<char> = text(0)?.chars().collect();
            let start = arg(1)?.number().round();
            let end = if args.len() > 2 { start + arg(2)?.number().round() } else { f64::INFINITY };
            XValue::Str(
                s.iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        let p = (*i + 1) as f64;
                        p >= start && p < end
                    })
                    .map(|(_, ch)| ch)
                    .collect(),
            )
        }
        "string-length" => XValue::Num(text(0)?.chars().count() as f64),
        "normalize-space" => XValue::Str(text(0)?.split_whitespace().collect::<Vec<_>>().join(" ")),
        "translate" => {
            let (s, from, to) = (text(0)?, text(1)?, text(2)?);
            let (from, to): (Vec<char>, Vec<char>) = (from.chars().collect(), to.chars().collect());
            XValue::Str(
                s.chars()
                    .filter_map(|ch| match from.iter().position(|f| *f == ch) {
                        Some(i) => to.get(i).copied(),
                        None => Some(ch),
                    })
                    .collect(),
            )
        }
        "boolean" => XValue::Bool(arg(0)?.boolean()),
        "not" => XValue::Bool(!arg(0)?.boolean()),
        "true" => XValue::Bool(true),
        "false" => XValue::Bool(false),
        "number" => XValue::Num(if args.is_empty() { to_number(&c.node.string()) } else { arg(0)?.number() }),
        "sum" => XValue::Num(nodes(0)?.iter().map(|n| to_number(&n.string())).sum()),
        "floor" => XValue::Num(arg(0)?.number().floor()),
        "ceiling" => XValue::Num(arg(0)?.number().ceil()),
        "round" => XValue::Num((arg(0)?.number() + 0.5).floor()),
        other => return Err(format!("the XPath function {other}() is not supported offline")),
    })
}
