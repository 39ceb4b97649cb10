"""Open311 GeoReport v2 at /open311/v2/ (issue #13): the specification's resources, fields,
formats (JSON and XML) and error shape, so existing Open311 clients work unchanged."""
