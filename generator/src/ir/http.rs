//! The HTTP side of an operation: its method and its path template.

/// A path template as literal text and parameters, in path order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PathTemplate {
    /// The parts, in order; literal text may hold `/`.
    pub parts: Vec<PathPart>,
}

impl PathTemplate {
    /// The path with every `/`-segment that holds a placeholder written `{}`: templates with the
    /// same shape differ only in literal text beside their placeholders.
    pub fn shape(&self) -> String {
        let mut shape = String::new();
        // Whether the segment being written holds a placeholder (its other text is dropped).
        let mut in_param = false;
        for part in &self.parts {
            match part {
                PathPart::Literal(text) => {
                    let mut text = text.as_str();
                    if in_param {
                        let end = text.find('/').unwrap_or(text.len());
                        text = &text[end..];
                        in_param = text.is_empty();
                    }
                    shape.push_str(text);
                }
                PathPart::Param(_) => {
                    shape.truncate(shape.rfind('/').map_or(0, |i| i + 1));
                    shape.push_str("{}");
                    in_param = true;
                }
            }
        }
        shape
    }
}

/// One part of a [`PathTemplate`].
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Text sent as written.
    Literal(String),
    /// A placeholder: the index of its parameter in [`Operation::params`](super::Operation::params).
    Param(usize),
}

/// An HTTP method an operation answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item's operations are read.
    pub const ALL: [Self; 8] =
        [Self::Get, Self::Put, Self::Post, Self::Delete, Self::Options, Self::Head, Self::Patch, Self::Trace];

    /// The method as HTTP spells it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }

    /// The method as a path item's key spells it (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Put => "put",
            Self::Post => "post",
            Self::Delete => "delete",
            Self::Options => "options",
            Self::Head => "head",
            Self::Patch => "patch",
            Self::Trace => "trace",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
