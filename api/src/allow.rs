//! The methods each documented path answers, read from the OpenAPI document at start-up, so that
//! a request with another method on such a path gets `405 Method Not Allowed` with an `Allow`
//! header (RFC 9110, section 15.5.6) instead of the 404 of an address that does not exist. A
//! path that answers GET answers HEAD too (the request middleware routes HEAD as GET).

use crate::error::ApiError;
use crate::frontend;
use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi;

/// Each documented path's pattern and the methods it answers.
#[derive(Debug)]
pub struct AllowedMethods {
    paths: Vec<(ResourceDef, Vec<Method>)>,
}

impl AllowedMethods {
    #[must_use]
    pub fn from_document(doc: &OpenApi) -> Self {
        let paths = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let methods = [
                    (Method::GET, item.get.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                    (Method::HEAD, item.head.is_some() || item.get.is_some()),
                    (Method::OPTIONS, item.options.is_some()),
                    (Method::TRACE, item.trace.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, documented)| documented.then_some(method))
                .collect();
                (ResourceDef::new(template.as_str()), methods)
            })
            .collect();
        Self { paths }
    }

    /// The `Allow` header for a request to a documented path with a method it does not answer;
    /// `None` when the path is not documented or does answer the method. A path documented as
    /// it is (`/clients/search`) answers its own methods, even where a pattern
    /// (`/clients/{id}`) matches it too; any other path, the methods of every pattern matching it.
    #[must_use]
    pub fn refused(&self, method: &Method, path: &str) -> Option<HeaderValue> {
        let allowed: Vec<&Method> = match self.literal(path) {
            Some(methods) => methods.iter().collect(),
            None => self
                .paths
                .iter()
                .filter(|(def, _)| def.is_match(path))
                .flat_map(|(_, methods)| methods)
                .collect(),
        };
        allow_header(method, &allowed)
    }

    /// The `Allow` header when `path` is documented as it is and does not answer `method`.
    #[must_use]
    pub fn refused_literal(&self, method: &Method, path: &str) -> Option<HeaderValue> {
        let allowed: Vec<&Method> = self.literal(path)?.iter().collect();
        allow_header(method, &allowed)
    }

    fn literal(&self, path: &str) -> Option<&[Method]> {
        self.paths
            .iter()
            .find(|(def, _)| def.pattern() == Some(path))
            .map(|(_, methods)| methods.as_slice())
    }
}

/// `Allow` listing `allowed`, or `None` when it is empty or holds `method`.
fn allow_header(method: &Method, allowed: &[&Method]) -> Option<HeaderValue> {
    if allowed.is_empty() || allowed.contains(&method) {
        return None;
    }
    let mut names: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    HeaderValue::from_str(&names.join(", ")).ok()
}

/// The 405 for a documented path that a pattern of the same shape matched with a method the
/// path itself does not answer (`PATCH /clients/search`, routed as `PATCH /clients/{id}`):
/// called when that pattern's path parameter cannot be read, before the 400 it would give.
#[must_use]
pub fn shadowed(req: &HttpRequest) -> Option<actix_web::Error> {
    let allow = req
        .app_data::<web::Data<AllowedMethods>>()?
        .refused_literal(req.method(), req.path())?;
    let response = HttpResponse::MethodNotAllowed()
        .insert_header((ALLOW, allow))
        .finish();
    Some(actix_web::error::InternalError::from_response("method not allowed", response).into())
}

/// What the router answers when no route matched: 405 for a documented path with another
/// method, otherwise the web app (or 404).
///
/// # Errors
/// 404 when nothing lives at the address.
pub async fn fallback(
    req: HttpRequest,
    allowed: Option<web::Data<AllowedMethods>>,
    site: Option<web::Data<frontend::Site>>,
) -> Result<HttpResponse, ApiError> {
    if let Some(allow) = allowed.and_then(|a| a.refused(req.method(), req.path())) {
        // The observing middleware writes the problem document for a bare 405 and keeps `Allow`.
        return Ok(HttpResponse::MethodNotAllowed()
            .insert_header((ALLOW, allow))
            .finish());
    }
    frontend::serve(req, site).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::{InfoBuilder, OpenApiBuilder};

    fn table() -> AllowedMethods {
        let item = |methods: &[HttpMethod]| {
            let mut item = PathItem::new(methods[0].clone(), OperationBuilder::new().build());
            for method in &methods[1..] {
                item.merge_operations(PathItem::new(
                    method.clone(),
                    OperationBuilder::new().build(),
                ));
            }
            item
        };
        let doc = OpenApiBuilder::new()
            .info(InfoBuilder::new().title("t").version("1").build())
            .paths(
                PathsBuilder::new()
                    .path("/things", item(&[HttpMethod::Get, HttpMethod::Post]))
                    .path("/things/{id}", item(&[HttpMethod::Get, HttpMethod::Delete]))
                    .path("/things/mine", item(&[HttpMethod::Get]))
                    .build(),
            )
            .build();
        AllowedMethods::from_document(&doc)
    }

    #[test]
    fn another_method_on_a_documented_path_is_refused_with_what_it_answers() {
        let table = table();
        let allow = |method: Method, path: &str| {
            table
                .refused(&method, path)
                .map(|v| v.to_str().map(str::to_owned).unwrap_or_default())
        };
        assert_eq!(
            allow(Method::PUT, "/things").as_deref(),
            Some("GET, HEAD, POST")
        );
        assert_eq!(
            allow(Method::TRACE, "/things/42").as_deref(),
            Some("DELETE, GET, HEAD")
        );
        // `/things/mine` is documented as it is: its own methods, not those of `/things/{id}`.
        assert_eq!(
            allow(Method::POST, "/things/mine").as_deref(),
            Some("GET, HEAD")
        );
        assert_eq!(allow(Method::GET, "/things/mine"), None);
        // A method the path answers, or a path nobody documented: not this table's business.
        assert_eq!(allow(Method::GET, "/things"), None);
        assert_eq!(allow(Method::TRACE, "/nothing"), None);
        assert_eq!(allow(Method::TRACE, "/things/42/deeper"), None);
    }
}
