//! Who is calling: the client address (trusting X-Forwarded-For only from the configured proxy,
//! S30) and the request id tracing-actix-web assigned.

use actix_web::HttpMessage;
use actix_web::HttpRequest;
use tracing_actix_web::RequestId;

pub fn client_ip(req: &HttpRequest, trusted_proxy: Option<std::net::IpAddr>) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    if let (Some(peer), Some(proxy)) = (peer, trusted_proxy)
        && peer == proxy
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|v| v.parse::<std::net::IpAddr>().ok())
    {
        return forwarded.to_string();
    }
    peer.map(|p| p.to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

pub fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|id| id.to_string())
        .unwrap_or_default()
}
