FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=govservice.settings.production
WORKDIR /app
COPY pyproject.toml ./
COPY govservice ./govservice
COPY apps ./apps
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SECRET_KEY=build-only PII_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktYnVpbGQtb25seS1rZXktMTI= \
    PII_HASH_KEY=build DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --system --home /app portal && mkdir -p /app/var && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "govservice.wsgi:application", "-c", "python:govservice.gunicorn_conf"]
